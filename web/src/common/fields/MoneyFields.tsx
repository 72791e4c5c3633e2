/** An amount and its currency, side by side. */
import { Field } from '../ui/Field.tsx';
import type { Currency, MoneyDraft } from './money.ts';

/** The currencies offered first; the API takes any ISO 4217 code. */
const CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'JPY',
  'SEK',
  'DKK',
  'NOK',
  'PLN',
  'CAD',
  'AUD',
] as const satisfies readonly Currency[];

export const MoneyFields = ({
  label,
  value,
  onChange,
  error,
  path,
  required,
}: {
  label: string;
  value: MoneyDraft;
  onChange: (value: MoneyDraft) => void;
  error?: unknown;
  path: string;
  required?: boolean;
}) => (
  <div className="row">
    <Field label={label} error={error} path={path} {...(required ? { required } : {})}>
      {(props) => (
        <input
          {...props}
          inputMode="decimal"
          value={value.amount}
          onChange={(event) => onChange({ ...value, amount: event.target.value })}
        />
      )}
    </Field>
    <Field label="Currency" error={error} path={`${path}.currency`}>
      {(props) => (
        <select
          {...props}
          value={value.currency}
          onChange={(event) => onChange({ ...value, currency: event.target.value as Currency })}
        >
          {CURRENCIES.map((code) => (
            <option key={code}>{code}</option>
          ))}
        </select>
      )}
    </Field>
  </div>
);
