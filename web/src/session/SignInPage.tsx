/**
 * Sign-in. Locally: a demo user's `sub`, exchanged for a token at the runtime's dev token route. In
 * the cloud: straight on to the provider's hosted sign-in (code + PKCE), and back at
 * `/signin/callback`, which exchanges the code and opens the page the visitor asked for.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { queryClient } from '../common/api.ts';
import { Link, navigate, useLocation, useTitle } from '../common/router.tsx';
import { Field } from '../common/ui/Field.tsx';
import { beginCloudSignIn, completeCloudSignIn, isCloudSignIn, safeReturnTo, signInLocally } from './auth.ts';

const CloudSignIn = ({ returnTo }: { returnTo: string }) => {
  const [error, setError] = useState<string | null>(null);
  const start = useCallback(
    () => beginCloudSignIn(returnTo).catch((failure: Error) => setError(failure.message)),
    [returnTo],
  );
  // Straight on, on arrival; the button below starts again should the redirect fail.
  useEffect(() => {
    void start();
  }, [start]);
  return (
    <main id="main" className="signin">
      <h1>Sign in to Co-sell</h1>
      <p role="status">Taking you to the sign-in page…</p>
      {error ? (
        <p role="alert" className="problem">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary" onClick={() => void start()}>
        Sign in
      </button>
    </main>
  );
};

export const SignInCallbackPage = () => {
  useTitle('Signing in');
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  // A code is good for one exchange: a second run of the effect must not spend it again.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeCloudSignIn(location.query)
      .then((returnTo) => {
        queryClient.clear();
        navigate(returnTo, { replace: true });
      })
      .catch((failure: Error) => setError(failure.message));
  }, [location.query]);
  return (
    <main id="main" className="signin">
      <h1>Signing in</h1>
      {error ? (
        <>
          <p role="alert" className="problem">
            {error}
          </p>
          <p>
            <Link href="/signin">Sign in again</Link>
          </p>
        </>
      ) : (
        <p role="status">Finishing sign-in…</p>
      )}
    </main>
  );
};

export const SignInPage = () => {
  useTitle('Sign in');
  const location = useLocation();
  const [sub, setSub] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const returnTo = safeReturnTo(location.query.get('returnTo'));
  if (isCloudSignIn()) return <CloudSignIn returnTo={returnTo} />;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInLocally(sub.trim(), email.trim() || undefined);
      queryClient.clear();
      navigate(returnTo, { replace: true });
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
        <Field label="User" hint="A demo user, e.g. host-admin or fabrikam-admin." required>
          {(props) => (
            <input
              {...props}
              name="user"
              autoComplete="username"
              value={sub}
              onChange={(e) => setSub(e.target.value)}
            />
          )}
        </Field>
        <Field label="Email" hint="Only for a person who is not a member yet: the invited address.">
          {(props) => (
            <input
              {...props}
              type="email"
              name="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
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
