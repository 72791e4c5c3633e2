/**
 * The console's shell: sign-in gate, header navigation and the route table
 * (paths of the API contract's "Web console": `/`, `/deals?view=`, `/deals/{id}`, `/deals/new`, `/signin`,
 * `/join`). A signed-in person who is nobody's member yet is sent to `/join` to choose an invitation.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiProblem, queryClient } from './common/api.ts';
import { Link, navigate, useLocation } from './common/router.tsx';
import { Toasts } from './common/ui/Toasts.tsx';
import { DealPage } from './deals/detail/DealPage.tsx';
import { DealsPage } from './deals/list/DealsPage.tsx';
import { NewDealPage } from './deals/wizard/NewDealPage.tsx';
import { JoinPage } from './join/JoinPage.tsx';
import { UsersPage } from './members/UsersPage.tsx';
import { ReviewPage } from './registration/ReviewPage.tsx';
import { ReportPage } from './reports/ReportPage.tsx';
import { currentToken, signInPath, signOutEverywhere } from './session/auth.ts';
import { meQuery, useMe } from './session/queries.ts';
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
      <nav aria-label="Main" hidden={!me.data}>
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
  if (path === '/join') return <JoinPage />;
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
  // Only a signed-in person has a membership to ask about; the sign-in pages never ask.
  const me = useQuery({ ...meQuery, enabled: signedIn && !atSignIn });
  const notAMember = me.error instanceof ApiProblem && me.error.problem.code === 'not-a-member';
  useEffect(() => {
    if (!signedIn && !atSignIn) navigate(signInPath(location.href), { replace: true });
    else if (signedIn && !atSignIn && notAMember && location.path !== '/join') {
      navigate('/join', { replace: true });
    } else if (signedIn && location.path === '/') navigate('/deals?view=inbound', { replace: true });
  }, [signedIn, atSignIn, notAMember, location.href, location.path]);

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
