/**
 * Cognito's pre-token-generation trigger (version 1: it shapes the ID token, which the console and
 * the API use): adds the caller's org, roles and locations (tenant-claims.ts) to every token the
 * user pool issues, on sign-in and on each refresh. The local runtime runs this same module with the
 * same event when `POST /dev/tokens` issues a token (infra/local/tokens.ts).
 *
 * A sub that is a member of no org gets a token without them, and so does a sign-in while the table
 * cannot be read: such a token still works (the API reads the membership first), so a failed read
 * here never stops anyone signing in.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { tenantContext } from '#domain/identity/tenant-context.ts';
import { getDeps } from '../composition/deps.ts';
import { checkDeclaredEnvironment, TOKEN_CLAIMS_FUNCTION } from '../environment.ts';
import { logger } from '../observability.ts';
import { tenantClaims } from './tenant-claims.ts';

checkDeclaredEnvironment(TOKEN_CLAIMS_FUNCTION);

export const handler = async (
  event: PreTokenGenerationTriggerEvent,
): Promise<PreTokenGenerationTriggerEvent> => {
  const sub = event.request.userAttributes.sub;
  let claims: Record<string, string> = {};
  try {
    const membership = sub ? await tenantContext(getDeps(), sub) : undefined;
    if (membership) claims = tenantClaims(membership);
  } catch (error) {
    logger.error('The token is issued without its org: the membership could not be read', {
      error: error as Error,
    });
  }
  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: claims } };
  return event;
};
