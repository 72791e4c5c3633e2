/**
 * Creates the app's stacks from the CDK context: `CoSell-<stage>-Data` (the table) and
 * `CoSell-<stage>-Api` (functions, HTTP API, authorizer). No lookups and no account or region, so
 * synthesis works offline. infra/app.ts calls this; the Template tests call it with their own context.
 *
 * Context (`-c key=value` or cdk.json):
 * - `stage`: `dev` (default) or `prod`.
 * - `jwtIssuer` + `jwtAudience` (comma-separated): trust another OIDC provider instead of creating
 *   a Cognito user pool.
 * - `appBaseUrl`: the web console's URL: links in notification emails, Cognito's callback and logout URLs.
 * - `emailFrom`: the sender address of notification emails.
 *   Both are required, and must not be placeholders, where the stage sends real mail (prod).
 * - `alarmEmail`: an address subscribed to the alarm topic (it confirms the subscription once).
 */
import { type App, Tags } from 'aws-cdk-lib';
import { ApiStack, type ExternalJwtProvider } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { isStageName, type StageSettings, stageSettings } from './stage.ts';

export type CoSellStacks = { stage: StageSettings; data: DataStack; api: ApiStack };

const readContext = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** What a stage that does not send real mail uses when `emailFrom` / `appBaseUrl` are not given. */
export const DEV_DEFAULTS = { emailFrom: 'no-reply@example.com', appBaseUrl: 'http://localhost:3000' };

/** Hosts reserved for documentation and tests (RFC 2606, RFC 6761) or this machine: never a real sender or console. */
const isPlaceholderHost = (host: string): boolean => {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (/^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/.test(name)) return true;
  if (/(^|\.)example\.(com|net|org)$/.test(name)) return true;
  return /\.(example|test|invalid|localhost|local)$/.test(name) || !name.includes('.');
};

/** Why `emailFrom` cannot send real mail, or undefined when it can. */
const senderProblem = (value: string | undefined): string | undefined => {
  if (value === undefined) return 'missing';
  const match = /^[^@\s]+@([^@\s]+)$/.exec(value);
  if (!match) return `"${value}" is not an email address`;
  return isPlaceholderHost(match[1] ?? '') ? `"${value}" is a placeholder` : undefined;
};

/** Why `appBaseUrl` cannot be the console users open, or undefined when it can. */
const consoleUrlProblem = (value: string | undefined): string | undefined => {
  if (value === undefined) return 'missing';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.protocol !== 'https:') return `"${value}" is not https`;
  return isPlaceholderHost(url.hostname) ? `"${value}" is a placeholder` : undefined;
};

/**
 * The sender and the console URL. A stage that sends real mail stops synthesis, naming every value
 * that is missing or a placeholder; other stages fall back to DEV_DEFAULTS.
 */
export const deliverySettings = (
  stage: StageSettings,
  given: { emailFrom?: string; appBaseUrl?: string },
): { emailFrom: string; appBaseUrl: string } => {
  if (!stage.sendsRealMail) {
    return {
      emailFrom: given.emailFrom ?? DEV_DEFAULTS.emailFrom,
      appBaseUrl: (given.appBaseUrl ?? DEV_DEFAULTS.appBaseUrl).replace(/\/+$/, ''),
    };
  }
  const problems = [
    ['emailFrom', senderProblem(given.emailFrom)],
    ['appBaseUrl', consoleUrlProblem(given.appBaseUrl)],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (problems.length > 0) {
    throw new Error(
      `Stage "${stage.name}" sends real email: set ${problems.map(([key]) => `-c ${key}=...`).join(' and ')} ` +
        `(${problems.map(([key, why]) => `${key}: ${why}`).join('; ')}). ` +
        'emailFrom is a sender address SES may use, appBaseUrl the https URL of the web console.',
    );
  }
  return {
    emailFrom: given.emailFrom as string,
    appBaseUrl: (given.appBaseUrl as string).replace(/\/+$/, ''),
  };
};

const alarmEmailFrom = (app: App): string | undefined => {
  const value = readContext(app, 'alarmEmail');
  if (value !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw new Error(`Context "alarmEmail" must be an email address, got "${value}".`);
  }
  return value;
};

const jwtProviderFrom = (app: App): ExternalJwtProvider | undefined => {
  const issuer = readContext(app, 'jwtIssuer');
  const audience = readContext(app, 'jwtAudience');
  if ((issuer === undefined) !== (audience === undefined)) {
    throw new Error('Set both "jwtIssuer" and "jwtAudience" context values, or neither (to use Cognito).');
  }
  if (!issuer || !audience) return undefined;
  return {
    issuer,
    audience: audience
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  };
};

export const createCoSellStacks = (app: App): CoSellStacks => {
  const stageName = readContext(app, 'stage') ?? 'dev';
  if (!isStageName(stageName)) throw new Error(`Context "stage" must be dev or prod, got "${stageName}".`);
  const stage = stageSettings(stageName);
  const jwtProvider = jwtProviderFrom(app);
  const prefix = `CoSell-${stage.name}`;

  const { emailFrom, appBaseUrl } = deliverySettings(stage, {
    emailFrom: readContext(app, 'emailFrom'),
    appBaseUrl: readContext(app, 'appBaseUrl'),
  });
  const alarmEmail = alarmEmailFrom(app);
  const data = new DataStack(app, `${prefix}-Data`, {
    stage,
    emailFrom,
    appBaseUrl,
    description: `Co-sell referrals (${stage.name}): stateful resources`,
    terminationProtection: stage.protectData,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    stage,
    table: data.table,
    ...(jwtProvider ? { jwtProvider } : {}),
    appBaseUrl,
    emailFrom,
    ...(alarmEmail ? { alarmEmail } : {}),
    description: `Co-sell referrals (${stage.name}): HTTP API and functions`,
  });

  Tags.of(app).add('project', 'co-sell-referrals');
  Tags.of(app).add('stage', stage.name);
  return { stage, data, api };
};
