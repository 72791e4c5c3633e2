/** Paging, the same for every list of every context. */

/** Where a list continues. Opaque to the domain; the HTTP layer signs it into a cursor. */
export type PageKey = Record<string, unknown>;
export type PageRequest = { limit: number; after?: PageKey };
export type Page<T> = { items: T[]; next?: PageKey };
