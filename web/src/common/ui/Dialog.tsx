import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { ProblemMessage } from './ProblemMessage.tsx';

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
  /** The body fields the dialog shows messages at; the problem lists the others. */
  shownPaths?: readonly string[];
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
