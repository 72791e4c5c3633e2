/**
 * One deal (`/deals/{id}`, where every email links): heading, status, the actions its status allows,
 * details, the stage bar, participants, registration and the history timeline.
 */
import { useState } from 'react';
import { api, type Deal, downloadUrlOf, useDeal, useDealChange, useHistory, useMe } from '../api.ts';
import { STAGE_PROBABILITY, STAGES, TERMINAL_STATUSES } from '../labels.ts';
import { Link, useTitle } from '../router.tsx';
import { formatDate, formatMoney, formatTime, humanize, Loading, ProblemMessage } from '../ui.tsx';
import { CommentsPanel } from './CommentsPanel.tsx';
import {
  AcceptDialog,
  CloseDialog,
  DeclineDialog,
  EditDialog,
  InviteDialog,
  RegisterDialog,
  StageDialog,
  WithdrawDialog,
} from './deal-dialogs.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';

type Action = 'accept' | 'decline' | 'edit' | 'stage' | 'close' | 'invite' | 'register';

const StageBar = ({ deal }: { deal: Deal }) => {
  const current = STAGES.indexOf(deal.stage);
  return (
    <section aria-labelledby="stage-heading">
      <h2 id="stage-heading">Stage</h2>
      <ol className="stagebar">
        {STAGES.map((stage, index) => (
          <li
            key={stage}
            className={index < current ? 'done' : index === current ? 'current' : ''}
            {...(index === current ? { 'aria-current': 'step' as const } : {})}
          >
            <span>{humanize(stage)}</span> <small>{STAGE_PROBABILITY[stage]}%</small>
          </li>
        ))}
      </ol>
      {deal.companyStage ? (
        <p>
          Company stage: {deal.companyStage.name} ({deal.companyStage.probability}%)
        </p>
      ) : null}
    </section>
  );
};

const FavoriteStar = ({ deal }: { deal: Deal }) => {
  const toggle = useDealChange(
    deal.id,
    (favorite: boolean) =>
      favorite
        ? api.PUT('/v1/deals/{id}/favorite', { params: { path: { id: deal.id } } })
        : api.DELETE('/v1/deals/{id}/favorite', { params: { path: { id: deal.id } } }),
    (current, favorite) => ({ ...current, favorite }),
  );
  return (
    <button
      type="button"
      className="star"
      aria-pressed={deal.favorite}
      onClick={() => toggle.mutate(!deal.favorite)}
      title={deal.favorite ? 'Remove from favorites' : 'Add to favorites'}
    >
      <span aria-hidden="true">{deal.favorite ? '★' : '☆'}</span> Favorite
    </button>
  );
};

const Details = ({ deal }: { deal: Deal }) => (
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
      <dd>{deal.type}</dd>
      <dt>Direction</dt>
      <dd>{deal.direction}</dd>
      <dt>Value</dt>
      <dd>{formatMoney(deal.value)}</dd>
      <dt>Close date</dt>
      <dd>{formatDate(deal.closeDate)}</dd>
      <dt>Location</dt>
      <dd>{deal.location}</dd>
      {deal.crmId ? (
        <>
          <dt>CRM id</dt>
          <dd>{deal.crmId}</dd>
        </>
      ) : null}
      {deal.campaignId ? (
        <>
          <dt>Campaign</dt>
          <dd>{deal.campaignId}</dd>
        </>
      ) : null}
      {deal.notes ? (
        <>
          <dt>Notes</dt>
          <dd>{deal.notes}</dd>
        </>
      ) : null}
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

type Participant = Deal['participants'][number];

/** Each org taking part with its team; the inviting org may withdraw an invitation not yet answered. */
const Participants = ({
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
            {participant.orgName} ({participant.kind}): <span className="status">{participant.status}</span>
            {participant.status === 'received' && deal.status === 'accepted' ? (
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

/** Opens an attachment: a fresh short-lived URL, then the browser's download (the object answers as one). */
const DownloadButton = ({ dealId, file }: { dealId: string; file: { id: string; fileName: string } }) => {
  const [error, setError] = useState<unknown>(null);
  const open = async () => {
    setError(null);
    try {
      window.location.assign(await downloadUrlOf(dealId, file.id));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <button type="button" className="link" onClick={() => void open()}>
        Download {file.fileName}
      </button>
      <ProblemMessage error={error} />
    </>
  );
};

/** On the host's deal: what each partner submitted with its registration. */
const Submissions = ({ deal }: { deal: Deal }) =>
  deal.registrations.length ? (
    <section aria-labelledby="submissions-heading">
      <h2 id="submissions-heading">Registration submissions</h2>
      <ul className="plain">
        {deal.registrations.map(({ orgId, orgName, submittedAt, submission }) => (
          <li key={orgId} className="card">
            <p>
              <strong>{orgName}</strong>, submitted {formatTime(submittedAt)}
            </p>
            <dl className="details">
              {submission.contractValue ? (
                <>
                  <dt>Contract value</dt>
                  <dd>{formatMoney(submission.contractValue)}</dd>
                </>
              ) : null}
              {submission.contractDate ? (
                <>
                  <dt>Contract date</dt>
                  <dd>{formatDate(submission.contractDate)}</dd>
                </>
              ) : null}
              {submission.purchaseOrder ? (
                <>
                  <dt>Purchase order</dt>
                  <dd>{submission.purchaseOrder}</dd>
                </>
              ) : null}
              {submission.notes ? (
                <>
                  <dt>Notes</dt>
                  <dd>{submission.notes}</dd>
                </>
              ) : null}
            </dl>
            {submission.attachments.length ? (
              <ul aria-label={`Files from ${orgName}`}>
                {submission.attachments.map((file) => (
                  <li key={file.id}>
                    <DownloadButton dealId={deal.id} file={file} />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  ) : null;

const Registration = ({ deal }: { deal: Deal }) => {
  const { registration } = deal;
  if (!registration.eligible && registration.status === 'none' && deal.status !== 'won') return null;
  return (
    <section aria-labelledby="registration-heading">
      <h2 id="registration-heading">Registration</h2>
      <p>
        Registration status: <span className="status">{registration.status}</span>
      </p>
      {registration.unmet.length ? (
        <p>Not eligible yet: {registration.unmet.map(humanize).join(', ')}.</p>
      ) : null}
      {registration.messages.length ? (
        <ul>
          {registration.messages.map((message) => (
            <li key={message.at}>
              {formatTime(message.at)} · {humanize(message.decision)}: {message.text}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};

const actorName = (actor: Record<string, unknown>): string =>
  String(actor.email ?? actor.orgName ?? actor.sub ?? 'someone');

const History = ({ id }: { id: string }) => {
  const history = useHistory(id);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ProblemMessage error={history.error} />
      {history.isPending ? (
        <Loading what="history" />
      ) : (
        <ol className="timeline">
          {(history.data?.items ?? []).map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.at}>{formatTime(entry.at)}</time> · {actorName(entry.actor)} ·{' '}
              <strong>{humanize(entry.action)}</strong>
              {entry.changes.length ? (
                <span className="changes"> ({entry.changes.map((change) => change.field).join(', ')})</span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};

/** The buttons the deal's status allows; the API stays the judge (a refusal shows in the dialog). */
const actionsFor = (deal: Deal): Action[] => {
  if (deal.status === 'received') return ['accept', 'decline'];
  if (deal.status === 'accepted') return ['edit', 'stage', 'close', 'invite'];
  const canRegister =
    deal.registration.eligible &&
    (deal.registration.status === 'none' || deal.registration.status === 'action-required');
  return canRegister ? ['register'] : [];
};

const BUTTONS: Record<Action, string> = {
  accept: 'Accept',
  decline: 'Decline',
  edit: 'Edit',
  stage: 'Change stage',
  close: 'Close deal',
  invite: 'Invite',
  register: 'Register now',
};

export const DealPage = ({ id }: { id: string }) => {
  const query = useDeal(id);
  const me = useMe();
  const [open, setOpen] = useState<Action | null>(null);
  const [withdrawing, setWithdrawing] = useState<Participant | null>(null);
  const deal = query.data?.deal;
  useTitle(deal?.name ?? 'Deal');
  if (query.isPending)
    return (
      <main id="main">
        <Loading what="the deal" />
      </main>
    );
  if (!deal)
    return (
      <main id="main">
        <h1>Deal not available</h1>
        <ProblemMessage error={query.error} />
        <p>
          <Link href="/deals?view=inbound">Back to your deals</Link>
        </p>
      </main>
    );
  const close = () => setOpen(null);
  const isHost = me.data?.org.kind === 'host';
  return (
    <main id="main" className="deal">
      <p>
        <Link href={`/deals?view=${deal.direction}`}>← {humanize(deal.direction)} deals</Link>
      </p>
      <div className="page-head">
        <h1>{deal.name}</h1>
        <FavoriteStar deal={deal} />
      </div>
      <p className="summary">
        Status: <span className={`status status-${deal.status}`}>{deal.status}</span> · {deal.customer.name} ·{' '}
        {formatMoney(deal.value)} · {deal.probability}%
        {TERMINAL_STATUSES.has(deal.status) && deal.closedAt ? ` · closed ${formatDate(deal.closedAt)}` : ''}
      </p>
      <div className="actions">
        {actionsFor(deal).map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'accept' ? 'primary' : ''}
            onClick={() => setOpen(action)}
          >
            {BUTTONS[action]}
          </button>
        ))}
      </div>
      {isHost ? <ReviewPanel deal={deal} /> : null}
      <Registration deal={deal} />
      <StageBar deal={deal} />
      <Details deal={deal} />
      {isHost ? <Submissions deal={deal} /> : null}
      <Participants deal={deal} onWithdraw={setWithdrawing} />
      <CommentsPanel dealId={deal.id} closed={TERMINAL_STATUSES.has(deal.status)} />
      <History id={deal.id} />
      {/* Each dialog mounts when opened, so its draft starts from the deal as it is now. */}
      {open === 'accept' ? <AcceptDialog deal={deal} open onClose={close} /> : null}
      {open === 'decline' ? <DeclineDialog deal={deal} open onClose={close} /> : null}
      {open === 'edit' ? <EditDialog deal={deal} open onClose={close} /> : null}
      {open === 'stage' ? <StageDialog deal={deal} open onClose={close} /> : null}
      {open === 'close' ? <CloseDialog deal={deal} open onClose={close} /> : null}
      {open === 'invite' ? <InviteDialog deal={deal} open onClose={close} /> : null}
      {open === 'register' ? <RegisterDialog deal={deal} open onClose={close} /> : null}
      {withdrawing ? (
        <WithdrawDialog deal={deal} participant={withdrawing} onClose={() => setWithdrawing(null)} />
      ) : null}
    </main>
  );
};
