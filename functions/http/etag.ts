/**
 * A deal's ETag is its quoted version. The version counts changes to the org's own record; other
 * orgs' statuses shown in `participants` do not bump it, so they never make a client's If-Match stale.
 */
export const etag = (version: number): string => `"${version}"`;
