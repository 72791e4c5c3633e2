/**
 * Toasts: a short confirmation that an action completed, read out by a polite live region
 * (`Toasts.tsx`) and gone after a few seconds. Any module may say one; nothing waits for it.
 */
export type Toast = { id: number; text: string };

const listeners = new Set<(toasts: Toast[]) => void>();
let shown: Toast[] = [];
let next = 1;
const SHOWN_MS = 6000;

const publish = () => {
  for (const listener of listeners) listener(shown);
};

export const toast = (text: string): void => {
  const id = next++;
  shown = [...shown, { id, text }];
  publish();
  setTimeout(() => {
    shown = shown.filter((entry) => entry.id !== id);
    publish();
  }, SHOWN_MS);
};

export const subscribeToasts = (listener: (toasts: Toast[]) => void): (() => void) => {
  listeners.add(listener);
  listener(shown);
  return () => {
    listeners.delete(listener);
  };
};

/** An action's success handler: closes its dialog, then says it completed. */
export const done =
  (close: () => void, text: string): (() => void) =>
  () => {
    close();
    toast(text);
  };
