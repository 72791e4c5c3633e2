/**
 * The deal's editable fields, declared once. The create wizard (its Details and Team steps) and the
 * Accept and Edit dialogs start their drafts, draw their controls and build their bodies from
 * `DEAL_FIELDS`, and the deal page lists them from it, so a field added to that table shows, and
 * is sent, everywhere a deal is edited or read; its key is the body field, which is also where the
 * API names it in `errors[].path`.
 */
import type { Schemas } from '@co-sell/client';
import { Fragment, type ReactNode, useState } from 'react';
import { type MoneyDraft, MoneyFields, moneyDraftOf, moneyOf } from '../../shared/fields/MoneyFields.tsx';
import type { Person } from '../../shared/fields/PersonFields.tsx';
import { TeamEditor } from '../../shared/fields/TeamEditor.tsx';
import { optionalText } from '../../shared/fields/text.ts';
import { Field } from '../../shared/ui/Field.tsx';
import { formatDate, formatMoney } from '../../shared/ui/format.ts';

type Deal = Schemas['DealResponse'];

/** Which body the draft becomes: creating and accepting leave a blank optional field out, editing clears it. */
export type Editing = 'create' | 'accept' | 'update';

type InputProps<Draft> = {
  label: string;
  value: Draft;
  onChange: (value: Draft) => void;
  error: unknown;
  path: string;
  required: boolean;
};

/** One kind of field: what the person types (its draft), where that starts, how it shows, what is sent. */
type Kind<Draft, Read, Sent> = {
  blank: Draft;
  fromDeal: (value: Read) => Draft;
  /** The value as the deal page writes it, or null when there is nothing to show. */
  describe: (value: Read) => string | null;
  /** What the body carries; `undefined` leaves the field out, `null` clears it. */
  toBody(draft: Draft, editing: Editing): Sent | null | undefined;
  Input(props: InputProps<Draft>): ReactNode;
};

const line: Kind<string, string, string> = {
  blank: '',
  fromDeal: (value) => value,
  describe: (value) => value,
  toBody: (draft) => draft.trim(),
  Input: ({ label, value, onChange, error, path, required }) => (
    <Field label={label} error={error} path={path} required={required}>
      {(props) => <input {...props} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  ),
};

const optionalLine: Kind<string, string | null, string> = {
  blank: '',
  fromDeal: (value) => value ?? '',
  describe: (value) => value || null,
  toBody: (draft, editing) => optionalText(draft) ?? (editing === 'update' ? null : undefined),
  Input: line.Input,
};

const optionalParagraph: Kind<string, string | null, string> = {
  ...optionalLine,
  Input: ({ label, value, onChange, error, path, required }) => (
    <Field label={label} error={error} path={path} required={required}>
      {(props) => <textarea {...props} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  ),
};

const date: Kind<string, string, string> = {
  blank: '',
  fromDeal: (value) => value,
  describe: formatDate,
  toBody: (draft) => draft,
  Input: ({ label, value, onChange, error, path, required }) => (
    <Field label={label} error={error} path={path} required={required}>
      {(props) => <input {...props} type="date" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  ),
};

const money: Kind<MoneyDraft, Schemas['Money'], Schemas['Money']> = {
  blank: { amount: '', currency: 'EUR' },
  fromDeal: moneyDraftOf,
  describe: formatMoney,
  toBody: moneyOf,
  Input: ({ label, value, onChange, error, path, required }) => (
    <MoneyFields
      label={label}
      value={value}
      onChange={onChange}
      error={error}
      path={path}
      required={required}
    />
  ),
};

const people: Kind<Person[], Person[], Person[]> = {
  blank: [],
  fromDeal: (value) => value,
  describe: (value) => value.map((person) => person.name).join(', ') || null,
  // A new deal names its team (the API says so at `team` when it is empty); an inbound deal starts
  // without one, and the API wants at least one member whenever a team is sent.
  toBody: (draft, editing) => (editing === 'create' || draft.length ? draft : undefined),
  Input: ({ label, value, onChange, error, path }) => (
    <TeamEditor legend={label} team={value} onChange={onChange} error={error} path={path} />
  ),
};

/** A deal field every edit takes: the deal shows it, and creating, accepting and editing all send it. */
type EditableKey = keyof Deal &
  keyof Schemas['CreateDealBody'] &
  keyof Schemas['AcceptBody'] &
  keyof Schemas['UpdateDealBody'];

/** The wizard's steps that ask for deal fields. */
export type DealFieldStep = 'details' | 'team';

type Spec<K extends EditableKey> = {
  label: string;
  step: DealFieldStep;
  required?: boolean;
  /** Fields of the same row sit side by side. */
  row?: string;
  /** Shown elsewhere on the deal page than in its list of details (the name is its heading). */
  notInDetails?: true;
  /**
   * The table holds kinds of different drafts (text, money, people); `DealDraft` recovers each
   * one's own, while what a kind reads from the deal and sends stays checked against the API's types.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each entry's draft type is its own (see above)
  kind: Kind<any, Deal[K], NonNullable<Schemas['UpdateDealBody'][K]>>;
};

/** The one table: the order here is the order on screen. */
const DEAL_FIELDS = {
  name: { label: 'Deal name', step: 'details', required: true, notInDetails: true, kind: line },
  value: { label: 'Value', step: 'details', kind: money },
  closeDate: { label: 'Close date', step: 'details', kind: date },
  crmId: { label: 'CRM id', step: 'details', row: 'ids', kind: optionalLine },
  campaignId: { label: 'Campaign', step: 'details', row: 'ids', kind: optionalLine },
  notes: { label: 'Notes', step: 'details', kind: optionalParagraph },
  team: { label: 'Deal team', step: 'team', notInDetails: true, kind: people },
} satisfies { [K in EditableKey]?: Spec<K> };

type Fields = typeof DEAL_FIELDS;
export type DealFieldKey = keyof Fields;
export type DealDraft = { -readonly [K in DealFieldKey]: Fields[K]['kind']['blank'] };

const FIELDS = Object.entries(DEAL_FIELDS) as [DealFieldKey, Spec<DealFieldKey>][];

/** The body fields the fields show messages at (of one wizard step, or all of them). */
export const dealFieldPaths = (step?: DealFieldStep): DealFieldKey[] =>
  FIELDS.filter(([, spec]) => !step || spec.step === step).map(([key]) => key);

const draftFrom = (value: (key: DealFieldKey, spec: Spec<DealFieldKey>) => unknown): DealDraft =>
  Object.fromEntries(FIELDS.map(([key, spec]) => [key, value(key, spec)])) as DealDraft;

/** The draft of a new deal, or of `deal` as it is now. */
export const useDealDraft = (deal?: Deal) => {
  const [draft, setDraft] = useState<DealDraft>(() =>
    draftFrom((key, spec) => (deal ? spec.kind.fromDeal(deal[key]) : spec.kind.blank)),
  );
  const change = <K extends DealFieldKey>(key: K, value: DealDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  return [draft, change] as const;
};

type Bodies = {
  create: Pick<Schemas['CreateDealBody'], DealFieldKey>;
  accept: Pick<Schemas['AcceptBody'], DealFieldKey>;
  update: Pick<Schemas['UpdateDealBody'], DealFieldKey>;
};

/** The draft's part of a body; each kind decides what a blank field becomes for this kind of edit. */
export const dealBodyOf = <E extends Editing>(draft: DealDraft, editing: E): Bodies[E] =>
  Object.fromEntries(
    FIELDS.map(([key, spec]) => [key, spec.kind.toBody(draft[key], editing)]).filter(
      ([, sent]) => sent !== undefined,
    ),
  ) as Bodies[E];

/** The controls of the deal's fields (of one wizard step, or all of them), in the table's order. */
export const DealFields = ({
  step,
  draft,
  onChange,
  error,
}: {
  step?: DealFieldStep;
  draft: DealDraft;
  onChange: (key: DealFieldKey, value: DealDraft[DealFieldKey]) => void;
  error: unknown;
}) => {
  const shown = FIELDS.filter(([, spec]) => !step || spec.step === step);
  const input = ([key, spec]: (typeof shown)[number]) => {
    const { Input } = spec.kind;
    return (
      <Input
        key={key}
        label={spec.label}
        value={draft[key]}
        onChange={(value) => onChange(key, value as DealDraft[DealFieldKey])}
        error={error}
        path={key}
        required={spec.required ?? false}
      />
    );
  };
  const rows: (typeof shown)[] = [];
  for (const entry of shown) {
    const last = rows.at(-1);
    if (entry[1].row && last?.[0]?.[1].row === entry[1].row) last.push(entry);
    else rows.push([entry]);
  }
  return (
    <>
      {rows.map((row) =>
        row.length > 1 ? (
          <div className="row" key={row[0]?.[0]}>
            {row.map(input)}
          </div>
        ) : (
          row.map(input)
        ),
      )}
    </>
  );
};

/** The deal's fields as terms of the deal page's description list, those with something to show. */
export const DealFieldTerms = ({ deal }: { deal: Deal }) =>
  FIELDS.filter(([, spec]) => !spec.notInDetails).map(([key, spec]) => {
    const text = spec.kind.describe(deal[key]);
    return text === null ? null : (
      <Fragment key={key}>
        <dt>{spec.label}</dt>
        <dd>{text}</dd>
      </Fragment>
    );
  });
