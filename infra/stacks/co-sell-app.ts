/**
 * Creates the app's stacks from the CDK context: `CoSell-<stage>-Data` (the table) and
 * `CoSell-<stage>-Api` (functions, HTTP API, authorizer). No lookups and no account or region, so
 * synthesis works offline. infra/app.ts calls this; the Template tests call it with their own context.
 *
 * Context (`-c key=value` or cdk.json):
 * - `stage`: `dev` (default) or `prod`.
 * - `jwtIssuer` + `jwtAudience` (comma-separated): trust another OIDC provider instead of creating
 *   a Cognito user pool.
 * - `appBaseUrl`: the web console's URL, used in notification emails.
 * - `emailFrom`: the sender address of notification emails.
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

  const emailFrom = readContext(app, 'emailFrom') ?? 'no-reply@example.com';
  const data = new DataStack(app, `${prefix}-Data`, {
    stage,
    emailFrom,
    description: `Co-sell referrals (${stage.name}): stateful resources`,
    terminationProtection: stage.protectData,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    stage,
    table: data.table,
    ...(jwtProvider ? { jwtProvider } : {}),
    appBaseUrl: readContext(app, 'appBaseUrl') ?? 'http://localhost:3000',
    emailFrom,
    ...(data.emailIdentity ? { emailIdentity: data.emailIdentity } : {}),
    description: `Co-sell referrals (${stage.name}): HTTP API and functions`,
  });

  Tags.of(app).add('project', 'co-sell-referrals');
  Tags.of(app).add('stage', stage.name);
  return { stage, data, api };
};
