/**
 * Field limits shared by the API schemas and the domain checks, for every context: one table, so a
 * limit is changed in one place and the schemas, checks and tests follow.
 */
export const LIMITS = {
  name: 200,
  notes: 4000,
  externalId: 100,
  personName: 200,
  email: 254,
  phone: 40,
  address: 500,
  teamMembers: 25,
  solutionsPerDeal: 20,
  locationsPerUser: 250,
  /** A host's review message to the partner (docs/api.md), in characters. */
  reviewMessage: 2000,
  /** A deal keeps its most recent review messages, at most this many ... */
  registrationMessages: 50,
  /**
   * ... and at most this many bytes (UTF-8) of their text: 50 messages of 2,000 Latin characters fit,
   * while 2,000 characters of three-byte script are 6,000 bytes. This keeps the deal item far below
   * DynamoDB's 400 KB whatever the script; every message stays in the history regardless.
   */
  registrationMessageBytes: 100_000,
  /** A purchase order number on a registration. */
  purchaseOrder: 100,
  /** An attachment's file name, in characters. */
  fileName: 255,
  /** The largest attachment, in bytes (10 MiB). */
  attachmentBytes: 10 * 1024 * 1024,
  /** Attachments one registration submits. */
  registrationAttachments: 10,
  /** Attachments an org uploads to one of its deals: bounds the list and the bucket's use. */
  attachmentsPerDeal: 50,
  /** A comment's text, in characters. */
  comment: 4000,
  /**
   * How many members of an org's deal team the other orgs of its engagement see (the first ones).
   * Each org's shared team is a record of its own (deals/model.ts `SharedTeam`), and a deal read
   * fetches up to 19 of them, so this bounds what one read carries (docs/data-model.md).
   */
  sharedTeamMembers: 10,
} as const;

/**
 * How many items of one kind one owner (an org's webhook endpoints, a deal's attachments) may hold
 * at once. The domain decides the value and what it counts; a store keeps a count beside the items
 * and makes `count < limit` a condition of the very write that adds one, so concurrent requests
 * never pass it (docs/data-model.md "Counters").
 */
export type Quota = { readonly limit: number };
