/** New record ids, injected so tests can name them. */
export interface Ids {
  /** A new ULID: unique and sortable by creation time. */
  next(): string;
}
