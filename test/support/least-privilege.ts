/**
 * The other half of the local runtime's IAM: its workers refuse a table call their function's
 * declaration does not grant (a missing grant fails the request), and this finds the declared
 * grants no function used over a whole tier (a surplus grant fails the tier's teardown).
 */
import { FUNCTIONS } from '#functions/environment.ts';
import { declaredTableAccess, type TableAccess, type TableRequest } from '#functions/table-access.ts';

/** One grant of a declaration, in words, and whether a request used it. */
type Grant = { describe: string; usedBy: (request: TableRequest) => boolean };

const grantsOf = (access: TableAccess): Grant[] => [
  ...access.operations.map((operation) => ({
    describe: `dynamodb:${operation} on the table`,
    usedBy: (request: TableRequest) => request.action === operation && request.index === undefined,
  })),
  ...access.indexes.map((index) => ({
    describe: `dynamodb:Query on index ${index}`,
    usedBy: (request: TableRequest) => request.action === 'Query' && request.index === index,
  })),
  ...access.scopedWrites.flatMap((write) =>
    write.partitions.map((partition) => ({
      describe: `dynamodb:${write.operation} on ${partition}… items`,
      usedBy: (request: TableRequest) =>
        request.action === write.operation && (request.partition?.startsWith(partition) ?? false),
    })),
  ),
];

/**
 * Every declared grant of every deployed function that none of its `made` requests used, as
 * `Function: grant` lines. A function that made no request at all is listed whole: the tier never
 * ran it, which is a gap in the tier, not a proof that its grants are needed.
 */
export const unusedGrants = (made: ReadonlyMap<string, readonly TableRequest[]>): string[] =>
  FUNCTIONS.flatMap((fn) => {
    const access = declaredTableAccess(fn.id);
    if (!access) return [];
    const requests = made.get(fn.id) ?? [];
    return grantsOf(access)
      .filter((grant) => !requests.some(grant.usedBy))
      .map((grant) => `${fn.id}: ${grant.describe}`);
  });
