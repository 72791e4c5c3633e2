/** What the deal is: customer, type, its fields and solutions, how it came and how it ended; and its team. */
import { useQuery } from '@tanstack/react-query';
import { formatTime, humanize } from '../../common/ui/format.ts';
import { directoryQueries } from '../../directory/queries.ts';
import { DealFieldTerms } from '../fields/DealFields.tsx';
import { DIRECTION_LABELS, TYPE_LABELS } from '../labels.ts';
import type { Deal } from '../queries.ts';
import { solutionNames } from '../wizard/SolutionsStep.tsx';

/** The deal's solutions by name; one outside the caller's catalog (another partner's draft) by its id. */
const SolutionList = ({ ids }: { ids: readonly string[] }) => {
  const catalog = useQuery(directoryQueries.solutions());
  const names = solutionNames(catalog.data ?? []);
  return (
    <ul className="plain" aria-label="Solutions">
      {ids.map((id) => (
        <li key={id}>{names.get(id) ?? (catalog.isPending ? '…' : `Solution ${id}`)}</li>
      ))}
    </ul>
  );
};

export const DealDetails = ({ deal }: { deal: Deal }) => (
  <section aria-labelledby="details-heading">
    <h2 id="details-heading">Details</h2>
    <dl className="details">
      <dt>Customer</dt>
      <dd>
        {deal.customer.name}, {deal.customer.address} ({deal.customer.country})
        {deal.customer.duns ? ` · D-U-N-S ${deal.customer.duns}` : ''}
      </dd>
      {deal.customer.contact ? (
        <>
          <dt>Customer contact</dt>
          <dd>
            {deal.customer.contact.name} · {deal.customer.contact.email} · {deal.customer.contact.phone}
          </dd>
        </>
      ) : null}
      <dt>Type</dt>
      <dd>{TYPE_LABELS[deal.type]}</dd>
      <dt>Direction</dt>
      <dd>{DIRECTION_LABELS[deal.direction]}</dd>
      <dt>Location</dt>
      <dd>{deal.location}</dd>
      <DealFieldTerms deal={deal} />
      <dt>Solutions</dt>
      <dd>
        <SolutionList ids={deal.solutions} />
      </dd>
      {deal.invitation ? (
        <>
          <dt>Invited by</dt>
          <dd>
            {deal.invitation.fromOrgName} on {formatTime(deal.invitation.invitedAt)} for{' '}
            {humanize(deal.invitation.helpType)} help
            {deal.status === 'received' ? `; answer by ${formatTime(deal.invitation.expiresAt)}` : ''}
            {deal.invitation.notes ? ` — “${deal.invitation.notes}”` : ''}
          </dd>
        </>
      ) : null}
      {deal.declined ? (
        <>
          <dt>Declined</dt>
          <dd>
            {humanize(deal.declined.reason)}
            {deal.declined.notes ? ` — ${deal.declined.notes}` : ''}
          </dd>
        </>
      ) : null}
      {deal.lost ? (
        <>
          <dt>Lost</dt>
          <dd>
            {humanize(deal.lost.reason)}
            {deal.lost.notes ? ` — ${deal.lost.notes}` : ''}
          </dd>
        </>
      ) : null}
    </dl>
    <h3>Deal team</h3>
    {deal.team.length ? (
      <ul>
        {deal.team.map((person) => (
          <li key={person.email}>
            {person.name} · {person.email} · {person.phone}
          </li>
        ))}
      </ul>
    ) : (
      <p>No one yet.</p>
    )}
  </section>
);
