/**
 * The console's shell: sign-in gate, header navigation and the route table
 * (paths of the API contract's "Web console": `/`, `/deals?view=`, `/deals/{id}`, `/deals/new`, `/signin`).
 */
import { useEffect } from 'react';
import { queryClient } from './common/api.ts';
import { Link, navigate, useLocation } from './common/router.tsx';
import { Toasts } from './common/ui/Toasts.tsx';
import { DealPage } from './deals/detail/DealPage.tsx';
import { DealsPage } from './deals/list/DealsPage.tsx';
import { NewDealPage } from './deals/wizard/NewDealPage.tsx';
import { UsersPage } from './members/UsersPage.tsx';
import { ReviewPage } from './registration/ReviewPage.tsx';
import { ReportPage } from './reports/ReportPage.tsx';
import { currentToken, signInPath, signOutEverywhere } from './session/auth.ts';
import { useMe } from './session/queries.ts';
import { SignInCallbackPage, SignInPage } from './session/SignInPage.tsx';

const Header = () => {
  const me = useMe();
  const isHost = me.data?.org.kind === 'host';
  const isAdmin = me.data?.roles.includes('org-admin');
  return (
    <header className="top">
      <Link href="/deals?view=inbound" className="brand">
        Co-sell
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <Link href="/deals?view=inbound">Deals</Link>
          </li>
          {isHost ? (
            <li>
              <Link href="/review">Registrations</Link>
            </li>
          ) : null}
          <li>
            <Link href="/reports/pipeline">Pipeline</Link>
          </li>
          {isAdmin ? (
            <li>
              <Link href="/org/users">Users</Link>
            </li>
          ) : null}
        </ul>
      </nav>
      <div className="who">
        {me.data ? (
          <span>
            {me.data.user.name} · {me.data.org.name}
          </span>
        ) : null}
        <button
          type="button"
          onClick={() => {
            queryClient.clear();
            if (!signOutEverywhere()) navigate('/signin');
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
};

const Routes = ({ path }: { path: string }) => {
  if (path === '/deals/new') return <NewDealPage />;
  const deal = /^\/deals\/([^/]+)$/.exec(path);
  if (deal?.[1]) return <DealPage id={decodeURIComponent(deal[1])} />;
  if (path === '/deals') return <DealsPage />;
  if (path === '/review') return <ReviewPage />;
  if (path === '/org/users') return <UsersPage />;
  if (path === '/reports/pipeline') return <ReportPage />;
  return (
    <main id="main">
      <h1>Page not found</h1>
      <p>
        <Link href="/deals?view=inbound">Go to your deals</Link>
      </p>
    </main>
  );
};

export const App = () => {
  const location = useLocation();
  const signedIn = currentToken() !== null;
  const atSignIn = location.path === '/signin' || location.path === '/signin/callback';
  useEffect(() => {
    if (!signedIn && !atSignIn) navigate(signInPath(location.href), { replace: true });
    else if (signedIn && location.path === '/') navigate('/deals?view=inbound', { replace: true });
  }, [signedIn, atSignIn, location.href, location.path]);

  if (location.path === '/signin/callback') return <SignInCallbackPage />;
  if (atSignIn) return <SignInPage />;
  if (!signedIn) return null;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <Routes path={location.path} />
      <Toasts />
    </>
  );
};
