/**
 * The host's review queue (`/review`): its deals whose partners registered a win and still wait for
 * a decision. The API has no queue route, so this reads the host's inbound deals (first 100).
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useTitle } from '../common/router.tsx';
import { Loading } from '../common/ui/Loading.tsx';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { dealQueries } from '../deals/queries.ts';
import { useMe } from '../session/queries.ts';
import { ReviewPanel } from './ReviewPanel.tsx';

const OPEN = new Set(['submitted', 'in-review', 'action-required']);

export const ReviewPage = () => {
  useTitle('Registrations to review');
  const me = useMe();
  const deals = useQuery({
    ...dealQueries.list({ view: 'inbound', limit: 100 }),
    enabled: me.data?.org.kind === 'host',
  });
  const waiting = (deals.data?.items ?? []).filter((deal) =>
    deal.registrations.some((registration) => OPEN.has(registration.status)),
  );
  return (
    <main id="main">
      <h1>Registrations to review</h1>
      {me.data && me.data.org.kind !== 'host' ? <p>Only the host reviews registrations.</p> : null}
      <ProblemMessage error={deals.error} />
      {deals.isFetching && !deals.data ? <Loading what="registrations" /> : null}
      {deals.data && waiting.length === 0 ? <p>Nothing waits for a review.</p> : null}
      {waiting.map((deal) => (
        <article key={deal.id} className="card">
          <h2>
            <Link href={`/deals/${deal.id}`}>{deal.name}</Link>
          </h2>
          <p>{deal.customer.name}</p>
          <ReviewPanel deal={deal} level={3} />
        </article>
      ))}
    </main>
  );
};
