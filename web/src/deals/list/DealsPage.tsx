/**
 * The three tabs (Inbound, Outbound, Favorites) with a status filter (one choice for every closed
 * status), a customer search, `My deals` (the deals the caller owns), a favorite star per deal that
 * toggles it, and paging.
 */
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useRef } from 'react';
import { Link, navigate, useLocation, useTitle } from '../../common/router.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { formatDate, formatMoney, formatPercent, humanize } from '../../common/ui/format.ts';
import { Loading } from '../../common/ui/Loading.tsx';
import { ProblemMessage } from '../../common/ui/ProblemMessage.tsx';
import { FavoriteStar } from '../detail/FavoriteStar.tsx';
import {
  DEAL_STATUSES,
  STATUS_LABELS,
  TERMINAL_STATUSES,
  VIEW_LABELS,
  VIEW_TITLES,
  VIEWS,
  type View,
} from '../labels.ts';
import { dealQueries } from '../queries.ts';

/** Every status a deal ends in, asked for as one choice (the API takes several, comma-separated). */
const CLOSED = [...TERMINAL_STATUSES].join(',');

const isView = (value: string | null): value is View => (VIEWS as (string | null)[]).includes(value);

export const DealsPage = () => {
  const location = useLocation();
  const rawView = location.query.get('view');
  const view: View = isView(rawView) ? rawView : 'inbound';
  const status = location.query.get('status') ?? '';
  const customer = location.query.get('customer') ?? '';
  const mine = location.query.get('owner') === 'me';
  // Earlier pages' cursors, so "Previous page" goes back without the API paging backwards.
  const cursors = (location.query.get('cursors') ?? '').split(',').filter(Boolean);
  const cursor = cursors.at(-1) ?? '';
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const title = VIEW_TITLES[view];
  useTitle(title);
  const deals = useQuery(
    dealQueries.list({ view, status, customer: customer.trim(), ...(mine ? { owner: 'me' } : {}), cursor }),
  );

  const go = (next: {
    view?: View;
    status?: string;
    customer?: string;
    mine?: boolean;
    cursors?: string[];
  }) => {
    const query = new URLSearchParams();
    query.set('view', next.view ?? view);
    const nextStatus = next.status ?? status;
    if (nextStatus) query.set('status', nextStatus);
    const nextCustomer = next.customer ?? customer;
    if (nextCustomer) query.set('customer', nextCustomer);
    if (next.mine ?? mine) query.set('owner', 'me');
    const nextCursors = next.cursors ?? [];
    if (nextCursors.length) query.set('cursors', nextCursors.join(','));
    navigate(`/deals?${query}`, { replace: next.customer !== undefined });
  };
  const search = (value: string) => {
    // A new search starts at its first page.
    go({ customer: value, cursors: [] });
  };

  // Arrow keys move between tabs (the ARIA tabs pattern); Tab moves on into the panel.
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    const next = (index + delta + VIEWS.length) % VIEWS.length;
    const entry = VIEWS[next];
    if (!entry) return;
    go({ view: entry });
    tabs.current[next]?.focus();
  };

  const items = deals.data?.items ?? [];

  return (
    <main id="main">
      <div className="page-head">
        <h1>Deals</h1>
        <button type="button" className="primary" onClick={() => navigate('/deals/new')}>
          New deal
        </button>
      </div>
      <div role="tablist" aria-label="Deal views" className="tabs">
        {VIEWS.map((entry, index) => (
          <button
            key={entry}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${entry}`}
            aria-selected={entry === view}
            aria-controls="deals-panel"
            tabIndex={entry === view ? 0 : -1}
            onClick={() => go({ view: entry })}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {VIEW_LABELS[entry]}
          </button>
        ))}
      </div>
      <section id="deals-panel" role="tabpanel" aria-labelledby={`tab-${view}`}>
        <div className="filters">
          <Field label="Status">
            {(props) => (
              <select {...props} value={status} onChange={(event) => go({ status: event.target.value })}>
                <option value="">Any status</option>
                <option value={CLOSED}>Closed</option>
                {DEAL_STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {STATUS_LABELS[value]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Customer" hint="The start of the customer's name.">
            {(props) => (
              <input
                {...props}
                type="search"
                value={customer}
                onChange={(event) => search(event.target.value)}
              />
            )}
          </Field>
          <label className="choice">
            <input type="checkbox" checked={mine} onChange={(event) => go({ mine: event.target.checked })} />
            My deals
          </label>
        </div>
        <ProblemMessage error={deals.error} />
        {deals.isPending ? (
          <Loading what="deals" />
        ) : items.length === 0 ? (
          <p>No deals here.</p>
        ) : (
          <table className="deals">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Deal</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col">Stage</th>
                <th scope="col">Value</th>
                <th scope="col">Close date</th>
              </tr>
            </thead>
            <tbody>
              {items.map((deal) => (
                <tr key={deal.id}>
                  <td data-label="Deal">
                    <FavoriteStar deal={deal} compact />
                    <Link href={`/deals/${deal.id}`}>{deal.name}</Link>
                  </td>
                  <td data-label="Customer">{deal.customer.name}</td>
                  <td data-label="Status">
                    <span className={`status status-${deal.status}`}>{STATUS_LABELS[deal.status]}</span>
                  </td>
                  <td data-label="Stage">
                    {humanize(deal.stage)} ({formatPercent(deal.probability)})
                  </td>
                  <td data-label="Value">{formatMoney(deal.value)}</td>
                  <td data-label="Close date">{formatDate(deal.closeDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav aria-label="Pages" className="pager">
          <button
            type="button"
            disabled={cursors.length === 0}
            onClick={() => go({ cursors: cursors.slice(0, -1) })}
          >
            Previous page
          </button>
          <button
            type="button"
            disabled={!deals.data?.nextCursor}
            onClick={() => deals.data?.nextCursor && go({ cursors: [...cursors, deals.data.nextCursor] })}
          >
            Next page
          </button>
        </nav>
      </section>
    </main>
  );
};
