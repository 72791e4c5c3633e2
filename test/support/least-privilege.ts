/**
 * The other half of the local runtime's IAM: its workers refuse a table call their function's
 * declaration does not grant (a missing grant fails the request), and this finds the declared
 * grants no function used over a whole tier (a surplus grant fails the tier's teardown).
 */
import { FUNCTIONS } from '#functions/environment.ts';
import {
  declaredTableAccess,
  grantsOf,
  PIPELINE_TABLE_ACCESS,
  type TableRequest,
} from '#functions/table-access.ts';

const PIPELINE_GRANTS = PIPELINE_TABLE_ACCESS.flatMap(grantsOf);

/**
 * Grants whose code path no journey of the e2e and browser tiers reaches, each with where it is
 * proven instead. Every entry is a path the cloud runs and a person would wait a day to see.
 */
const PROVEN_ELSEWHERE: Readonly<Record<string, string>> = {
  'DeliverWebhooks: dynamodb:Query on index gsi1':
    "the org's admins, emailed when an endpoint is disabled after 24 h of failed deliveries " +
    '(test/unit/webhooks/dispatch.test.ts; the member list on gsi1 in test/integration/identity/org-store.test.ts)',
  'DispatchWebhooks: dynamodb:UpdateItem on PARKED… items':
    'parking an outbox event the webhook fan-out failed on (test/integration/operations/redrive.test.ts)',
};

/**
 * Every declared grant of every deployed function that none of its `made` requests used, as
 * `Function: grant` lines. A grant of the shared request pipeline (the caller, idempotency
 * records) is one code path in every function: any function's use of it counts. A
 * function that made no request at all is listed whole: the tiers never ran it, which is a gap in
 * the tiers, not a proof that its grants are needed.
 */
export const unusedGrants = (made: ReadonlyMap<string, readonly TableRequest[]>): string[] => {
  const everyRequest = [...made.values()].flat();
  return FUNCTIONS.flatMap((fn) => {
    const access = declaredTableAccess(fn.id);
    if (!access) return [];
    const requests = made.get(fn.id) ?? [];
    return grantsOf(access)
      .filter((grant) => !requests.some(grant.covers))
      .filter(
        (grant) =>
          !PIPELINE_GRANTS.some(
            (pipeline) => pipeline.describe === grant.describe && everyRequest.some(pipeline.covers),
          ),
      )
      .map((grant) => `${fn.id}: ${grant.describe}`)
      .filter((line) => PROVEN_ELSEWHERE[line] === undefined);
  });
};
