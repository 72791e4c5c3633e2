/**
 * The one labelled control of every form: label (with a marker when required), the control, an
 * optional hint and the API's messages for the body field it edits, tied to the control by
 * `aria-describedby` and `aria-invalid` so a screen reader reads them with it.
 */
import { type ReactNode, useId } from 'react';
import { ApiProblem } from '../api.ts';

/** The problem's messages for `path` (and the fields under it), or none. */
export const errorsAt = (error: unknown, path: string): string[] =>
  error instanceof ApiProblem ? error.fieldErrors(path) : [];

/** What the control needs to be labelled, described and marked invalid and required. */
export type ControlProps = {
  id: string;
  required?: boolean;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
};

export const Field = ({
  label,
  error,
  path,
  hint,
  required,
  children,
}: {
  label: string;
  /** The failure of the form's last attempt; its messages for `path` show here. */
  error?: unknown;
  /** The body field this control edits, as the API names it in `errors[].path`. */
  path?: string;
  hint?: string;
  required?: boolean;
  children: (props: ControlProps) => ReactNode;
}) => {
  const id = useId();
  const messages = path ? errorsAt(error, path) : [];
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {/* The control's own `required` tells assistive technology; the star is for the eye. */}
        {required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children({
        id,
        ...(required ? { required: true } : {}),
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

/**
 * The messages a group of controls (a fieldset: team, partners, solutions) gets as a whole; `exact`
 * leaves out those of the fields under it, which show at their own controls.
 */
export const FieldErrors = ({ error, path, exact }: { error: unknown; path: string; exact?: boolean }) => {
  const messages =
    exact && error instanceof ApiProblem
      ? (error.problem.errors ?? []).filter((entry) => entry.path === path).map((entry) => entry.message)
      : errorsAt(error, path);
  return messages.length ? <p className="field-error">{messages.join(' ')}</p> : null;
};
