/** The console's shared controls: labelled fields with their API errors, modal dialogs, money and team inputs. */
import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { ApiProblem, type Money, type Person } from './api.ts';

/** The problem's messages for `path`, or none. */
export const errorsAt = (error: unknown, path: string): string[] =>
  error instanceof ApiProblem ? error.fieldErrors(path) : [];

/** A labelled control with the API's messages for `path` right under it (and tied to it for screen readers). */
export const Field = ({
  label,
  error,
  path,
  hint,
  children,
}: {
  label: string;
  error?: unknown;
  path?: string;
  hint?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) => {
  const id = useId();
  const messages = path ? errorsAt(error, path) : [];
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(messages.length ? { 'aria-invalid': true } : {}),
      })}
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
      {messages.length ? (
        <p id={`${id}-error`} className="field-error">
          {messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
};

/** What failed, when it is not about one field (or names fields this form does not show). */
export const ProblemMessage = ({ error, shownPaths = [] }: { error: unknown; shownPaths?: string[] }) => {
  if (!error) return null;
  if (!(error instanceof ApiProblem))
    return (
      <p role="alert" className="problem">
        {(error as Error).message ?? 'Something went wrong.'}
      </p>
    );
  const others = (error.problem.errors ?? []).filter(
    (entry) => !shownPaths.some((path) => entry.path === path || entry.path.startsWith(`${path}.`)),
  );
  return (
    <div role="alert" className="problem">
      <p>{error.problem.detail || error.problem.title}</p>
      {others.length ? (
        <ul>
          {others.map((entry) => (
            <li key={entry.path + entry.message}>
              {entry.path}: {entry.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

/**
 * A modal `dialog` (native, so focus moves into it, stays there and returns on close; Escape
 * cancels). The confirm button repeats the action's name.
 */
export const Dialog = ({
  title,
  open,
  onClose,
  onSubmit,
  confirm,
  busy,
  error,
  shownPaths,
  children,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => void;
  confirm: string;
  busy?: boolean;
  error?: unknown;
  shownPaths?: string[];
  children: ReactNode;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      {open ? (
        <form onSubmit={submit}>
          <h2 id={titleId}>{title}</h2>
          {children}
          <ProblemMessage error={error} {...(shownPaths ? { shownPaths } : {})} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {confirm}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
};

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'SEK', 'DKK', 'NOK', 'PLN', 'CAD', 'AUD'] as const;

export type MoneyDraft = { amount: string; currency: string };
export const moneyOf = (draft: MoneyDraft): Money => ({
  amount: Number(draft.amount),
  currency: draft.currency as Money['currency'],
});

export const MoneyFields = ({
  label,
  value,
  onChange,
  error,
  path,
}: {
  label: string;
  value: MoneyDraft;
  onChange: (value: MoneyDraft) => void;
  error?: unknown;
  path: string;
}) => (
  <div className="row">
    <Field label={label} error={error} path={path}>
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
          onChange={(event) => onChange({ ...value, currency: event.target.value })}
        >
          {CURRENCIES.map((code) => (
            <option key={code}>{code}</option>
          ))}
        </select>
      )}
    </Field>
  </div>
);

/** A deal team: people with name, email and phone; `path` is the body field the API names in errors. */
export const TeamEditor = ({
  team,
  onChange,
  error,
  path,
  legend = 'Team',
}: {
  team: Person[];
  onChange: (team: Person[]) => void;
  error?: unknown;
  path: string;
  legend?: string;
}) => {
  const set = (index: number, patch: Partial<Person>) =>
    onChange(team.map((person, i) => (i === index ? { ...person, ...patch } : person)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      {team.map((person, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
        <div className="row team-row" key={index}>
          <Field label={`Member ${index + 1} name`} error={error} path={`${path}.${index}.name`}>
            {(props) => (
              <input {...props} value={person.name} onChange={(e) => set(index, { name: e.target.value })} />
            )}
          </Field>
          <Field label={`Member ${index + 1} email`} error={error} path={`${path}.${index}.email`}>
            {(props) => (
              <input
                {...props}
                type="email"
                value={person.email}
                onChange={(e) => set(index, { email: e.target.value })}
              />
            )}
          </Field>
          <Field label={`Member ${index + 1} phone`} error={error} path={`${path}.${index}.phone`}>
            {(props) => (
              <input
                {...props}
                type="tel"
                value={person.phone}
                onChange={(e) => set(index, { phone: e.target.value })}
              />
            )}
          </Field>
          <button type="button" onClick={() => onChange(team.filter((_, i) => i !== index))}>
            Remove member {index + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...team, { name: '', email: '', phone: '' }])}>
        Add team member
      </button>
      {errorsAt(error, path).length && !team.length ? (
        <p className="field-error">{errorsAt(error, path).join(' ')}</p>
      ) : null}
    </fieldset>
  );
};

export const formatMoney = (money: Money): string =>
  new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(money.amount);

export const formatDate = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));

export const formatTime = (iso: string): string =>
  new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** `not-a-fit` → `Not a fit`. */
export const humanize = (value: string): string => {
  const words = value.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const Loading = ({ what }: { what: string }) => (
  <p role="status" className="loading">
    Loading {what}…
  </p>
);
