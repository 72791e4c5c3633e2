/**
 * The worst-case deal: every list at its bound and the longest strings everywhere, in a three-byte
 * script (a UTF-16 unit is at most 3 UTF-8 bytes, and DynamoDB counts bytes). The engagement holds
 * as many orgs as it may, every one of them taking part with its longest team, and goes through
 * every kind of write, including more review rounds than a deal keeps messages; every item it leaves
 * must stay within half of DynamoDB's 400 KB item limit. The sizes are reported in docs/data-model.md.
 */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestUpload } from '#domain/attachments/use-cases.ts';
import {
  DEAL_TEXT_FIELDS,
  DEAL_TEXTS,
  type Deal,
  TEXT_FORMAT_LIMITS,
  type TeamMember,
} from '#domain/deals/model.ts';
import type { InviteInput } from '#domain/deals/rules/invitations.ts';
import { MAX_PARTICIPANTS } from '#domain/deals/rules/invitations.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { type CreateDealInput, createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import type { Deps } from '#domain/deps.ts';
import { createCustomer } from '#domain/directory/customers.ts';
import { publishSolution } from '#domain/directory/solutions.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { dealKeys } from '#functions/adapters/dynamo/keys.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { ulidIds } from '#functions/adapters/system.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { UploadBody } from '#functions/http/schemas/attachments.ts';
import {
  AcceptBody,
  ChangeStageBody,
  CloseDealBody,
  CreateDealBody,
  DeclineBody,
  InviteBody,
  RegisterBody,
  ReviewRegistrationBody,
  UpdateDealBody,
} from '#functions/http/schemas/deals/requests.ts';
import { settableClock } from '#test/support/deal-world.ts';
import { itemSize } from '#test/support/item-size.ts';
import { createTestTable } from '#test/support/test-table.ts';

/** DynamoDB's limit is 400 KB; every item must keep half of it free. */
const ITEM_BUDGET = 200 * 1024;
const REVIEW_ROUNDS = LIMITS.registrationMessages + 2;

/** `n` UTF-16 units of a three-byte character: the most bytes a string of that length can hold. */
const longest = (n: number, char = '語') => char.repeat(n);
/** Every text of the deal (`DEAL_TEXTS`) at its longest, so a text added there is measured too. */
const longestTexts = (char?: string) =>
  Object.fromEntries(
    DEAL_TEXT_FIELDS.map((field) => [field, longest(TEXT_FORMAT_LIMITS[DEAL_TEXTS[field].format], char)]),
  );
/** A valid address of exactly 254 characters, unique per tag. */
const longestEmail = (tag: string) =>
  `${tag}${'a'.repeat(64 - tag.length)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.io`;
const team = (tag: string): TeamMember[] =>
  Array.from({ length: LIMITS.teamMembers }, (_, i) => ({
    name: longest(LIMITS.personName, i % 2 ? '語' : '界'),
    email: longestEmail(`${tag}${i}-`),
    phone: `+${'1'.repeat(LIMITS.phone - 1)}`,
  }));
const money = { amount: 9_999_999_999_999.99, currency: 'EUR' };

let table: TableRef;
let deps: Deps;
let setNow: (iso: string) => void;
let host: Actor;
let origin: Actor;
let partners: Actor[];
let solutions: string[];
let customerId: string;

beforeAll(async () => {
  table = await createTestTable();
  const clock = settableClock();
  setNow = clock.set;
  // The bucket says every file arrived clean: the registration may name each upload.
  deps = {
    ...dynamoDeps(table),
    clock,
    files: {
      uploadUrl: async () => 'https://bucket.example/upload',
      downloadUrl: async () => 'https://bucket.example/download',
      inspect: async () => ({ exists: true, scan: 'clean', fingerprint: 'f'.repeat(34) }),
      // A copy's id is a ULID; an entity tag at its longest is a multipart one (32 hex digits, -N).
      freeze: async () => ({ id: ulidIds.next(), fingerprint: `${'f'.repeat(32)}-9` }),
    },
  };
  const onboard = async (i: number, kind: 'host' | 'partner'): Promise<Actor> => {
    const sub = `org-${i}-admin-${'s'.repeat(40)}`;
    await onboardOrg(deps, {
      name: longest(LIMITS.name, String.fromCharCode(0x4e00 + i)),
      kind,
      capabilities: [],
      admin: { sub, email: longestEmail(`adm${i}-`), name: longest(LIMITS.personName) },
    });
    return (await deps.memberships.getActor(sub)) as Actor;
  };
  host = await onboard(0, 'host');
  origin = await onboard(1, 'partner');
  partners = [];
  // With the origin and the host, as many orgs as one engagement holds.
  for (let i = 2; i < MAX_PARTICIPANTS; i++) partners.push(await onboard(i, 'partner'));
  solutions = [];
  for (let i = 0; i < 2 * LIMITS.solutionsPerDeal; i++) {
    const solution = await publishSolution(deps, host, {
      name: longest(LIMITS.name),
      coSellReady: true,
      incentiveEligible: true,
    });
    solutions.push(solution.id);
  }
  customerId = (
    await createCustomer(deps, origin, {
      name: longest(LIMITS.name),
      country: 'DE',
      address: longest(LIMITS.address),
      duns: '123456789',
    })
  ).id;
}, 240_000);

const partnerInvite = (invitee: Actor) => ({
  orgId: invitee.orgId,
  closeDate: '2030-12-31',
  value: money,
  notes: longest(LIMITS.notes),
  team: team('inv'),
  solutions: solutions.slice(0, LIMITS.solutionsPerDeal),
  helpType: 'customer-introduction' as const,
});

const rawItem = async (key: Record<string, string>) =>
  (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true })))
    .Item ?? {};

const everyItem = async () => {
  const items: Record<string, unknown>[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new ScanCommand({ TableName: table.tableName, ...(after ? { ExclusiveStartKey: after } : {}) }),
    );
    items.push(...(page.Items ?? []));
    after = page.LastEvaluatedKey;
  } while (after);
  return items;
};

describe('a worst-case deal stays within half of the 400 KB item limit through every write', () => {
  it(`creates, invites ${MAX_PARTICIPANTS - 1} orgs who all take part with full teams, edits, closes and goes through ${REVIEW_ROUNDS} review rounds`, {
    timeout: 600_000,
  }, async () => {
    const largest = new Map<string, number>();
    /** Measures the stored items of the given deals after a write. */
    const measure = async (step: string, ...deals: { orgId: string; id: string }[]) => {
      for (const deal of deals) {
        const size = itemSize(await rawItem(dealKeys.item(deal.id)));
        expect(size, `${step}: deal of ${deal.orgId}`).toBeLessThanOrEqual(ITEM_BUDGET);
        largest.set('Deal', Math.max(largest.get('Deal') ?? 0, size));
      }
    };

    const [accepting, declining, ...waiting] = partners as [Actor, Actor, ...Actor[]];
    const create: CreateDealInput = {
      customer: {
        id: customerId,
        contact: {
          name: longest(LIMITS.personName),
          phone: `+${'1'.repeat(LIMITS.phone - 1)}`,
          email: longestEmail('contact-'),
        },
        consentToShareWithHost: true,
      },
      name: longest(LIMITS.name),
      location: 'DE',
      value: money,
      closeDate: '2030-12-31',
      ...longestTexts(),
      team: team('own'),
      solutions: solutions.slice(0, LIMITS.solutionsPerDeal),
      invite: {
        host: { helpType: 'architecture', notes: longest(LIMITS.notes) },
        partners: [accepting, declining, ...waiting.slice(0, 8)].map(partnerInvite),
      },
    };
    CreateDealBody.parse(create);
    const deal = await createDeal(deps, origin, create);
    await measure('create', deal);

    const more: InviteInput = { partners: waiting.slice(8).map(partnerInvite) };
    InviteBody.parse(more);
    const invited = (await inviteToDeal(deps, origin, { dealId: deal.id, ...more })).deal;
    expect(Object.keys(invited.participants)).toHaveLength(MAX_PARTICIPANTS);
    await measure('invite', deal);
    const dealIds = new Map(Object.values(invited.participants).map((entry) => [entry.orgId, entry.dealId]));
    const dealOf = (actor: Actor) => ({ orgId: actor.orgId, id: dealIds.get(actor.orgId) ?? '' });

    const edit = {
      name: longest(LIMITS.name, '界'),
      ...longestTexts('界'),
      team: team('new'),
      solutions: solutions.slice(LIMITS.solutionsPerDeal),
      value: { ...money, amount: 1 },
    };
    UpdateDealBody.parse(edit);
    await updateDeal(deps, origin, { dealId: deal.id, ...edit });
    await measure('edit', deal);
    const stage = { stageName: longest(100), probability: 60 };
    ChangeStageBody.parse(stage);
    await changeStage(deps, origin, { dealId: deal.id, ...stage });
    await measure('stage', deal);

    // The declining org's deal keeps its longest decline; invited again, it takes part like every other.
    const decline = { reason: 'other' as const, notes: longest(LIMITS.notes) };
    DeclineBody.parse(decline);
    const declined = dealOf(declining);
    await declineInvitation(deps, declining, { dealId: declined.id, ...decline });
    const again: InviteInput = { partners: [partnerInvite(declining)] };
    InviteBody.parse(again);
    const reinvited = await inviteToDeal(deps, origin, { dealId: deal.id, ...again });
    dealIds.set(declining.orgId, reinvited.deal.participants[declining.orgId]?.dealId ?? '');

    // Every invitee takes part, each with its own longest team.
    const invitees = [host, ...partners];
    for (const [i, invitee] of invitees.entries()) {
      const accept = {
        name: longest(LIMITS.name),
        value: money,
        closeDate: '2030-12-31',
        ...longestTexts(),
        team: team(`a${i}-`),
      };
      AcceptBody.parse(accept);
      await acceptInvitation(deps, invitee, { dealId: dealOf(invitee).id, ...accept });
    }
    // A taking-part org's team edit after everyone took part.
    await updateDeal(deps, accepting, { dealId: dealOf(accepting).id, team: team('later') });
    const everyDeal = [deal, ...invitees.map(dealOf)];
    await measure('everyone taking part', ...everyDeal);
    const seen = await getVisibleDeal(deps, origin, deal.id);
    expect(seen.participants.filter((entry) => entry.team.length === LIMITS.sharedTeamMembers)).toHaveLength(
      MAX_PARTICIPANTS - 1,
    );

    const lost = { outcome: 'lost' as const, reason: 'other' as const, notes: longest(LIMITS.notes) };
    CloseDealBody.parse(lost);
    await closeDeal(deps, accepting, { dealId: dealOf(accepting).id, ...lost });
    await closeDeal(deps, origin, { dealId: deal.id, outcome: 'won' });
    await measure('closing', ...everyDeal, declined);

    const files = [];
    for (let i = 0; i < LIMITS.registrationAttachments; i++) {
      const upload = { fileName: longest(LIMITS.fileName), contentType: 'application/pdf', size: 1 };
      UploadBody.parse(upload);
      files.push((await requestUpload(deps, origin, { dealId: deal.id, ...upload })).attachment.id);
    }
    for (let round = 1; round <= REVIEW_ROUNDS; round++) {
      setNow(new Date(Date.UTC(2026, 10, 2, 0, round)).toISOString());
      // Every round submits the largest evidence: a re-submission replaces it, never adds to it.
      const register = {
        contractSigned: true as const,
        contractValue: { amount: 9_999_999_999_999, currency: 'EUR' },
        contractDate: '2026-10-31',
        purchaseOrder: longest(LIMITS.purchaseOrder, round % 2 ? '語' : '界'),
        notes: longest(LIMITS.notes, round % 2 ? '語' : '界'),
        attachments: files,
      };
      RegisterBody.parse(register);
      await registerDeal(deps, origin, { dealId: deal.id, ...register });
      const review = {
        orgId: origin.orgId,
        decision: round === REVIEW_ROUNDS ? ('approved' as const) : ('action-required' as const),
        message: longest(LIMITS.reviewMessage, String.fromCharCode(0x4e00 + round)),
      };
      ReviewRegistrationBody.parse(review);
      await reviewRegistration(deps, host, { dealId: dealOf(host).id, ...review });
      await measure(`review round ${round}`, deal, dealOf(host));
    }
    const final = (await getVisibleDeal(deps, origin, deal.id)).deal as Deal;
    expect(final.status).toBe('closed');
    expect(final.registration?.messages.length).toBeGreaterThan(0);

    // History, outbox, engagement and every other item written along the way: none comes close either.
    for (const item of await everyItem()) {
      const size = itemSize(item);
      expect(size, `${item.pk} ${item.sk}`).toBeLessThanOrEqual(ITEM_BUDGET);
      const type = String(item.type);
      largest.set(type, Math.max(largest.get(type) ?? 0, size));
    }
    console.info(
      'largest items (bytes):',
      JSON.stringify(Object.fromEntries([...largest].sort(([, a], [, b]) => b - a))),
    );
  });
});
