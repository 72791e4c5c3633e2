/**
 * Creates the app's stacks from the CDK context: `CoSell-<stage>-Data` (the table),
 * `CoSell-<stage>-Users` (the Cognito user pool, unless another OIDC provider is trusted),
 * `CoSell-<stage>-Edge` (the distribution's web ACL, in us-east-1), `CoSell-<stage>-Api` (functions,
 * HTTP API, authorizer, the console's bucket and distribution) and, when the console is built,
 * `CoSell-<stage>-Console` (its files). Every stack is pinned to the account and region the context
 * names, so a deploy with credentials of another account fails instead of building a second
 * installation there; no lookups, so synthesis works offline. infra/app.ts calls this; the Template
 * tests call it with their own context.
 *
 * Context (`-c key=value` or cdk.json):
 * - `account` + `region` (required): the AWS account (12 digits) and region the stacks deploy to.
 * - `stage`: `dev` (default) or `prod`.
 * - `jwtIssuer` + `jwtAudience` (comma-separated): trust another OIDC provider instead of creating
 *   a Cognito user pool.
 * - `emailFrom`: the sender address of notification emails; required, and not a placeholder, where
 *   the stage sends real mail (prod).
 * - `appBaseUrl` + `consoleCertificateArn`: serve the web console at your own https domain (its ACM
 *   certificate in us-east-1). Without them the console is at the distribution's own URL. Either
 *   way that URL is what emails link to and where Cognito returns after sign-in.
 * - `consoleBuildDir`: the console's build (default `web/dist`); without an `index.html` there the
 *   Console stack is left out, with a warning.
 * - `alarmEmail`: an address subscribed to the alarm topic (it confirms the subscription once).
 * - `upgradeStep`: the last GSI the table gets (e.g. `gsi5`), for a release that adds more than
 *   one: CloudFormation adds one GSI per update, so the Data stack is deployed once per index.
 */
import { resolve } from 'node:path';
import { Annotations, type App, RemovalPolicy, Tags } from 'aws-cdk-lib';
import { PROJECT_ROOT } from '../constructs/app-function.ts';
import { ApiStack, type ExternalJwtProvider } from './api-stack.ts';
import { ConsoleStack, isConsoleBuild } from './console-stack.ts';
import { DataStack } from './data-stack.ts';
import { EDGE_REGION, EdgeStack } from './edge-stack.ts';
import { isStageName, type StageSettings, stageSettings } from './stage.ts';
import { UsersStack } from './users-stack.ts';

/** The console's build, relative to the repository (Vite's output for web/). */
export const DEFAULT_CONSOLE_BUILD = 'web/dist';

export type CoSellStacks = {
  stage: StageSettings;
  data: DataStack;
  /** Only with the stack's own user pool (no `jwtIssuer`). */
  users?: UsersStack;
  /** The distribution's web ACL, in us-east-1. */
  edge: EdgeStack;
  api: ApiStack;
  /** Only when a console build exists (see `consoleBuildDir`). */
  console?: ConsoleStack;
};

const readContext = (app: App, key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** What a stage that does not send real mail uses when `emailFrom` is not given. */
export const DEV_DEFAULTS = { emailFrom: 'no-reply@example.com' };

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

/**
 * Why `appBaseUrl` cannot be the console's own domain, or undefined when it can: the distribution
 * serves the console at the root of that host, over https.
 */
const consoleUrlProblem = (value: string, realMail: boolean): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.protocol !== 'https:') return `"${value}" is not https`;
  if (realMail && isPlaceholderHost(url.hostname)) return `"${value}" is a placeholder`;
  if (url.port !== '' || url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash) {
    return `"${value}" is not just https://<host> (the console is served at the root of its host)`;
  }
  return undefined;
};

/** Why `consoleCertificateArn` cannot serve the console's domain, or undefined when it can. */
const certificateProblem = (value: string | undefined): string | undefined => {
  if (value === undefined)
    return 'missing (appBaseUrl names a domain of your own, CloudFront needs its certificate)';
  // CloudFront only takes certificates from ACM in us-east-1, whatever region the stacks are in.
  return /^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(value)
    ? undefined
    : `"${value}" is not the ARN of an ACM certificate in us-east-1`;
};

export type DeliverySettings = {
  emailFrom: string;
  /** The console's own domain; without it the console (and every email link) is at the distribution's URL. */
  consoleDomain?: { host: string; certificateArn: string };
};

/**
 * The sender and, when given, the console's domain. A stage that sends real mail needs a real
 * sender; `appBaseUrl` is optional everywhere (the distribution's URL is real too), but when given it
 * must be a real https host with its certificate. Synthesis stops naming every value that is wrong;
 * a stage that sends no real mail falls back to DEV_DEFAULTS for the sender.
 */
export const deliverySettings = (
  stage: StageSettings,
  given: { emailFrom?: string; appBaseUrl?: string; consoleCertificateArn?: string },
): DeliverySettings => {
  const realMail = stage.sendsRealMail;
  const problems = [
    ['emailFrom', realMail ? senderProblem(given.emailFrom) : undefined],
    [
      'appBaseUrl',
      given.appBaseUrl === undefined ? undefined : consoleUrlProblem(given.appBaseUrl, realMail),
    ],
    [
      'consoleCertificateArn',
      given.appBaseUrl === undefined
        ? given.consoleCertificateArn === undefined
          ? undefined
          : 'given without appBaseUrl (the domain it is for)'
        : certificateProblem(given.consoleCertificateArn),
    ],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (problems.length > 0) {
    throw new Error(
      `Stage "${stage.name}": set ${problems.map(([key]) => `-c ${key}=...`).join(' and ')} ` +
        `(${problems.map(([key, why]) => `${key}: ${why}`).join('; ')}). ` +
        'emailFrom is a sender address SES may use; appBaseUrl (optional) the https URL of your own ' +
        'domain for the web console, with consoleCertificateArn its ACM certificate in us-east-1.',
    );
  }
  const emailFrom = given.emailFrom ?? DEV_DEFAULTS.emailFrom;
  if (given.appBaseUrl === undefined || given.consoleCertificateArn === undefined) return { emailFrom };
  return {
    emailFrom,
    consoleDomain: { host: new URL(given.appBaseUrl).hostname, certificateArn: given.consoleCertificateArn },
  };
};

export type DeployTarget = { account: string; region: string };

/** The account and region every stack is pinned to (the Edge stack's region aside). */
export const deployTarget = (given: { account?: string; region?: string }): DeployTarget => {
  const problems = [
    [
      'account',
      given.account === undefined
        ? 'missing'
        : /^\d{12}$/.test(given.account)
          ? undefined
          : `"${given.account}" is not a 12-digit AWS account id`,
    ],
    [
      'region',
      given.region === undefined
        ? 'missing'
        : /^[a-z]{2}(-[a-z]+)+-\d$/.test(given.region)
          ? undefined
          : `"${given.region}" is not an AWS region name`,
    ],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (problems.length > 0 || given.account === undefined || given.region === undefined) {
    throw new Error(
      `Set ${problems.map(([key]) => `-c ${key}=...`).join(' and ')} ` +
        `(${problems.map(([key, why]) => `${key}: ${why}`).join('; ')}): the stacks deploy only to the ` +
        'account and region named (docs/deploy.md).',
    );
  }
  return { account: given.account, region: given.region };
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
  const env = deployTarget({ account: readContext(app, 'account'), region: readContext(app, 'region') });

  const { emailFrom, consoleDomain } = deliverySettings(stage, {
    emailFrom: readContext(app, 'emailFrom'),
    appBaseUrl: readContext(app, 'appBaseUrl'),
    consoleCertificateArn: readContext(app, 'consoleCertificateArn'),
  });
  const alarmEmail = alarmEmailFrom(app);
  const data = new DataStack(app, `${prefix}-Data`, {
    env,
    stage,
    emailFrom,
    upgradeStep: readContext(app, 'upgradeStep'),
    description: `Co-sell referrals (${stage.name}): stateful resources`,
    terminationProtection: stage.protectData,
  });
  const users = jwtProvider
    ? undefined
    : new UsersStack(app, `${prefix}-Users`, {
        env,
        stage,
        table: data.table,
        emailFrom,
        ...(consoleDomain ? { consoleUrl: `https://${consoleDomain.host}` } : {}),
        description: `Co-sell referrals (${stage.name}): the user pool (people's sign-in)`,
        terminationProtection: stage.protectData,
      });
  // Cognito sends from the Data stack's SES identity: it must exist (and be verified) first.
  if (users && data.emailIdentity) users.addStackDependency(data);
  const edge = new EdgeStack(app, `${prefix}-Edge`, {
    env: { account: env.account, region: EDGE_REGION },
    stage,
    description: `Co-sell referrals (${stage.name}): the console distribution's web ACL`,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    env,
    // The web ACL's ARN comes from us-east-1 (CDK writes it to SSM there and reads it here).
    crossRegionReferences: true,
    webAclArn: edge.webAcl.attrArn,
    stage,
    table: data.table,
    webhookSecretsKey: data.webhookSecretsKey,
    ...(users ? { userPool: users.userPool } : {}),
    ...(jwtProvider ? { jwtProvider } : {}),
    ...(consoleDomain ? { consoleDomain } : {}),
    emailFrom,
    ...(alarmEmail ? { alarmEmail } : {}),
    description: `Co-sell referrals (${stage.name}): HTTP API and functions, the console's distribution`,
  });

  const buildDir = resolve(PROJECT_ROOT, readContext(app, 'consoleBuildDir') ?? DEFAULT_CONSOLE_BUILD);
  let consoleStack: ConsoleStack | undefined;
  if (isConsoleBuild(buildDir)) {
    consoleStack = new ConsoleStack(app, `${prefix}-Console`, {
      env,
      api,
      distribution: api.console.distribution,
      config: api.consoleConfig,
      buildDir,
      deleteFilesWithStack: stage.removalPolicy === RemovalPolicy.DESTROY,
      description: `Co-sell referrals (${stage.name}): the web console's files`,
    });
  } else {
    // Synthesis (and the tests) must work without a console build; a deploy then leaves whatever
    // console the bucket already holds.
    Annotations.of(api).addWarningV2(
      'co-sell:console-not-built',
      `No console build in ${buildDir} (no index.html): the Console stack is left out. Build the console (web/) and deploy again.`,
    );
  }

  Tags.of(app).add('project', 'co-sell-referrals');
  Tags.of(app).add('stage', stage.name);
  return {
    stage,
    data,
    ...(users ? { users } : {}),
    edge,
    api,
    ...(consoleStack ? { console: consoleStack } : {}),
  };
};
