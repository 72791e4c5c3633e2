import { ORG_KIND_LABELS, STATUS_LABELS } from '../labels.ts';
import type { Deal, Participant } from '../queries.ts';

/** Each org taking part with its team; Withdraw where the API offers it (the invitation this deal sent, unanswered). */
export const Participants = ({
  deal,
  onWithdraw,
}: {
  deal: Deal;
  onWithdraw: (participant: Participant) => void;
}) => (
  <section aria-labelledby="participants-heading">
    <h2 id="participants-heading">Participants</h2>
    {deal.participants.length ? (
      <ul className="participants">
        {deal.participants.map((participant) => (
          <li key={participant.orgId}>
            {participant.orgName} ({ORG_KIND_LABELS[participant.kind]}):{' '}
            <span className="status">{STATUS_LABELS[participant.status]}</span>
            {participant.actions.includes('withdraw') ? (
              <>
                {' '}
                <button type="button" onClick={() => onWithdraw(participant)}>
                  Withdraw<span className="visually-hidden"> the invitation of {participant.orgName}</span>
                </button>
              </>
            ) : null}
            {participant.team.length ? (
              <ul aria-label={`Team of ${participant.orgName}`}>
                {participant.team.map((person) => (
                  <li key={person.email}>
                    {person.name} · {person.email} · {person.phone}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    ) : (
      <p>Only your organization so far.</p>
    )}
  </section>
);
