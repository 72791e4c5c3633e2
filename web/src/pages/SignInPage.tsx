/** Local sign-in: a demo user's `sub`, exchanged for a token at the runtime's dev token route. */
import { type FormEvent, useState } from 'react';
import { queryClient } from '../api.ts';
import { safeReturnTo, signInLocally } from '../auth.ts';
import { navigate, useLocation, useTitle } from '../router.tsx';
import { Field } from '../ui.tsx';

export const SignInPage = () => {
  useTitle('Sign in');
  const location = useLocation();
  const [sub, setSub] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInLocally(sub.trim());
      queryClient.clear();
      navigate(safeReturnTo(location.query.get('returnTo')), { replace: true });
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="signin">
      <h1>Sign in to Co-sell</h1>
      <form onSubmit={submit}>
        <Field label="User" hint="A demo user, e.g. host-admin or fabrikam-admin.">
          {(props) => (
            <input
              {...props}
              name="user"
              autoComplete="username"
              required
              value={sub}
              onChange={(e) => setSub(e.target.value)}
            />
          )}
        </Field>
        {error ? (
          <p role="alert" className="problem">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
};
