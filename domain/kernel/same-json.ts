/**
 * The one equality of plain data (records, arrays, strings, numbers) in this codebase: the same JSON.
 * Key order counts, which is right for values this code builds the same way (stored items, domain
 * records, generated schemas); data from outside that may order keys differently is canonicalized
 * first (see the idempotency fingerprint).
 */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
