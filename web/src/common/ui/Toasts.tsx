import { useEffect, useState } from 'react';
import { subscribeToasts, type Toast } from './toast.ts';

/** The live region the toasts show in; mounted once, always present so screen readers hear each. */
export const Toasts = () => {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => subscribeToasts(setToasts), []);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((entry) => (
        <p key={entry.id} className="toast">
          {entry.text}
        </p>
      ))}
    </div>
  );
};
