/**
 * The controls of the deal's fields, drawn from the one table (deal-fields.ts): a control per kind
 * of field, the fields of a wizard step or of a dialog in the table's order, and the deal page's
 * list of their values.
 */
import type { Schemas } from '@co-sell/client';
import { Fragment, type ReactNode, useState } from 'react';
import { MoneyFields } from '../../common/fields/MoneyFields.tsx';
import { TeamEditor } from '../../common/fields/TeamEditor.tsx';
import { Field } from '../../common/ui/Field.tsx';
import {
  type DealDraft,
  type DealFieldEntry,
  type DealFieldKey,
  type DealFieldStep,
  type DraftOf,
  dealDraftOf,
  dealFieldDetails,
  dealFieldEntries,
  type KindName,
} from './deal-fields.ts';

type InputProps<Draft> = {
  label: string;
  value: Draft;
  onChange: (value: Draft) => void;
  error: unknown;
  path: string;
  required: boolean;
};

const LineInput = ({ label, value, onChange, error, path, required }: InputProps<string>) => (
  <Field label={label} error={error} path={path} required={required}>
    {(props) => <input {...props} value={value} onChange={(e) => onChange(e.target.value)} />}
  </Field>
);

const INPUTS: { [N in KindName]: (props: InputProps<DraftOf<N>>) => ReactNode } = {
  line: LineInput,
  optionalLine: LineInput,
  paragraph: ({ label, value, onChange, error, path, required }) => (
    <Field label={label} error={error} path={path} required={required}>
      {(props) => <textarea {...props} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  ),
  date: ({ label, value, onChange, error, path, required }) => (
    <Field label={label} error={error} path={path} required={required}>
      {(props) => <input {...props} type="date" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  ),
  money: ({ label, value, onChange, error, path, required }) => (
    <MoneyFields
      label={label}
      value={value}
      onChange={onChange}
      error={error}
      path={path}
      required={required}
    />
  ),
  people: ({ label, value, onChange, error, path }) => (
    <TeamEditor legend={label} team={value} onChange={onChange} error={error} path={path} />
  ),
};

/** The draft of a new deal, or of `deal` as it is now, and a change of one of its fields. */
export const useDealDraft = (deal?: Schemas['DealResponse']) => {
  const [draft, setDraft] = useState<DealDraft>(() => dealDraftOf(deal));
  const change = <K extends DealFieldKey>(key: K, value: DealDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  return [draft, change] as const;
};

export type DealFieldChange = ReturnType<typeof useDealDraft>[1];

/** The controls of the deal's fields (of one wizard step, or all of them), in the table's order. */
export const DealFields = ({
  step,
  draft,
  onChange,
  error,
}: {
  step?: DealFieldStep;
  draft: DealDraft;
  onChange: DealFieldChange;
  error: unknown;
}) => {
  const input = ({ key, kind, label, required }: DealFieldEntry) => {
    // The table pairs each field with a kind that fits it; the lookup by name loses that link.
    const Input = INPUTS[kind] as (props: InputProps<DealDraft[DealFieldKey]>) => ReactNode;
    return (
      <Input
        key={key}
        label={label}
        value={draft[key]}
        onChange={(value) => onChange(key, value)}
        error={error}
        path={key}
        required={required ?? false}
      />
    );
  };
  // Consecutive fields of one row sit side by side.
  const rows: DealFieldEntry[][] = [];
  for (const entry of dealFieldEntries(step)) {
    const last = rows.at(-1);
    if (last && entry.row && last[0]?.row === entry.row) last.push(entry);
    else rows.push([entry]);
  }
  return (
    <>
      {rows.map((row) =>
        row.length > 1 ? (
          <div className="row" key={row[0]?.key}>
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
export const DealFieldTerms = ({ deal }: { deal: Schemas['DealResponse'] }) =>
  dealFieldDetails(deal).map(({ key, label, text }) => (
    <Fragment key={key}>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </Fragment>
  ));
