/**
 * The deal's editable fields, declared once in `DEAL_FIELDS`. The create wizard (its Details and
 * Team steps), the Accept and Edit dialogs and the deal page's details start their drafts, draw
 * their controls (DealFields.tsx), build their bodies and list the deal's values from this table,
 * so a field added to it shows, and is sent, everywhere a deal is edited or read. Its key is the
 * body field, which is also where the API names it in `errors[].path`.
 */
import type { Schemas } from '@co-sell/client';
import { type MoneyDraft, moneyDraftOf, moneyOf } from '../../common/fields/money.ts';
import { optionalText } from '../../common/fields/text.ts';
import { formatDate, formatMoney } from '../../common/ui/format.ts';

type Deal = Schemas['DealResponse'];
type Person = Schemas['Person'];

/** Which body the draft becomes: creating and accepting leave a blank optional field out, editing clears it. */
export type Editing = 'create' | 'accept' | 'update';

/** One kind of field: what the person types (its draft), where that starts, what is shown and sent. */
type Kind<Draft, Read, Sent> = {
  blank: Draft;
  fromDeal: (value: Read) => Draft;
  /** The value as the deal page writes it, or null when there is nothing to show. */
  describe: (value: Read) => string | null;
  /** What the body carries; `undefined` leaves the field out, `null` clears it. */
  toBody: (draft: Draft, editing: Editing) => Sent | null | undefined;
};

const line: Kind<string, string, string> = {
  blank: '',
  fromDeal: (value) => value,
  describe: (value) => value,
  toBody: (draft) => draft.trim(),
};

const optionalLine: Kind<string, string | null, string> = {
  blank: '',
  fromDeal: (value) => value ?? '',
  describe: (value) => value || null,
  toBody: (draft, editing) => optionalText(draft) ?? (editing === 'update' ? null : undefined),
};

// An empty required value is left out, never defaulted: the API then asks for it in its own words.
const date: Kind<string, string, string> = {
  blank: '',
  fromDeal: (value) => value,
  describe: formatDate,
  toBody: (draft) => draft || undefined,
};

const money: Kind<MoneyDraft, Schemas['Money'], Schemas['Money']> = {
  blank: { amount: '', currency: 'EUR' },
  fromDeal: moneyDraftOf,
  describe: formatMoney,
  toBody: moneyOf,
};

const people: Kind<Person[], Person[], Person[]> = {
  blank: [],
  fromDeal: (value) => value,
  describe: (value) => value.map((person) => person.name).join(', ') || null,
  // A new deal names its team (the API says so at `team` when it is empty); an inbound deal starts
  // without one, and the API wants at least one member whenever a team is sent.
  toBody: (draft, editing) => (editing === 'create' || draft.length ? draft : undefined),
};

/**
 * The kinds a deal field can be; DealFields.tsx gives each its control. A paragraph is an optional
 * line written in several lines.
 */
export const KINDS = { line, optionalLine, paragraph: optionalLine, date, money, people };
type Kinds = typeof KINDS;
export type KindName = keyof Kinds;
/** What a person types into a field of this kind. */
export type DraftOf<N extends KindName> = Kinds[N]['blank'];

/** A deal field every edit takes: the deal shows it, and creating, accepting and editing all send it. */
type EditableKey = keyof Deal &
  keyof Schemas['CreateDealBody'] &
  keyof Schemas['AcceptBody'] &
  keyof Schemas['UpdateDealBody'];

/** The kinds that read what the deal holds at `K` and send what the API takes there. */
type KindFor<K extends EditableKey> = {
  // biome-ignore lint/suspicious/noExplicitAny: the draft is the kind's own business
  [N in KindName]: Kinds[N] extends Kind<any, Deal[K], NonNullable<Schemas['UpdateDealBody'][K]>> ? N : never;
}[KindName];

/** The wizard's steps that ask for deal fields. */
export type DealFieldStep = 'details' | 'team';

type Spec<K extends EditableKey> = {
  label: string;
  step: DealFieldStep;
  kind: KindFor<K>;
  required?: true;
  /** Fields of the same row sit side by side. */
  row?: string;
  /** Shown elsewhere on the deal page than in its list of details (the name is its heading). */
  notInDetails?: true;
};

/** The one table: the order here is the order on screen. */
const DEAL_FIELDS = {
  name: { label: 'Deal name', step: 'details', kind: 'line', required: true, notInDetails: true },
  value: { label: 'Value', step: 'details', kind: 'money', required: true },
  closeDate: { label: 'Close date', step: 'details', kind: 'date', required: true },
  crmId: { label: 'CRM id', step: 'details', kind: 'optionalLine', row: 'ids' },
  campaignId: { label: 'Campaign', step: 'details', kind: 'optionalLine', row: 'ids' },
  notes: { label: 'Notes', step: 'details', kind: 'paragraph' },
  team: { label: 'Deal team', step: 'team', kind: 'people', notInDetails: true },
} as const satisfies { [K in EditableKey]?: Spec<K> };

type Fields = typeof DEAL_FIELDS;
export type DealFieldKey = keyof Fields;
export type DealDraft = { -readonly [K in DealFieldKey]: DraftOf<Fields[K]['kind']> };

export type DealFieldEntry = { key: DealFieldKey } & Omit<Spec<DealFieldKey>, 'kind'> & { kind: KindName };
/** The table's entries in order; each kind's functions are called with values of its own field only. */
const DEAL_FIELD_ENTRIES: readonly DealFieldEntry[] = Object.entries(DEAL_FIELDS).map(([key, spec]) => ({
  key: key as DealFieldKey,
  ...spec,
}));

// The kind of an entry fits its field (checked on the table above); these calls only lose that link.
// biome-ignore lint/suspicious/noExplicitAny: see above
const kindOf = (entry: DealFieldEntry): Kind<any, any, any> => KINDS[entry.kind];

/** The fields of one wizard step, or all of them, in the table's order. */
export const dealFieldEntries = (step?: DealFieldStep): DealFieldEntry[] =>
  DEAL_FIELD_ENTRIES.filter((entry) => step === undefined || entry.step === step);

/** The body fields the fields show messages at (of one wizard step, or all of them). */
export const dealFieldPaths = (step?: DealFieldStep): DealFieldKey[] =>
  dealFieldEntries(step).map(({ key }) => key);

/** The draft of a new deal, or of `deal` as it is now. */
export const dealDraftOf = (deal?: Deal): DealDraft =>
  Object.fromEntries(
    DEAL_FIELD_ENTRIES.map((entry) => [
      entry.key,
      deal ? kindOf(entry).fromDeal(deal[entry.key]) : kindOf(entry).blank,
    ]),
  ) as DealDraft;

type Bodies = {
  create: Pick<Schemas['CreateDealBody'], DealFieldKey>;
  accept: Pick<Schemas['AcceptBody'], DealFieldKey>;
  update: Pick<Schemas['UpdateDealBody'], DealFieldKey>;
};

/** The draft's part of a body; each kind decides what a blank field becomes for this kind of edit. */
export const dealBodyOf = <E extends Editing>(draft: DealDraft, editing: E): Bodies[E] =>
  Object.fromEntries(
    DEAL_FIELD_ENTRIES.map((entry) => [entry.key, kindOf(entry).toBody(draft[entry.key], editing)]).filter(
      ([, sent]) => sent !== undefined,
    ),
  ) as Bodies[E];

/** The deal's values as the deal page lists them: label and text of each field with something to show. */
export const dealFieldDetails = (deal: Deal): { key: DealFieldKey; label: string; text: string }[] =>
  DEAL_FIELD_ENTRIES.filter((entry) => !entry.notInDetails).flatMap((entry) => {
    const text: string | null = kindOf(entry).describe(deal[entry.key]);
    return text === null ? [] : [{ key: entry.key, label: entry.label, text }];
  });
