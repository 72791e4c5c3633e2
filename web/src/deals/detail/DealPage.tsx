/**
 * One deal (`/deals/{id}`, where every email links): heading, status, the actions its status allows,
 * details, the stage bar, participants, registration, comments and the history timeline.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CommentsPanel } from '../../comments/CommentsPanel.tsx';
import { Link, useTitle } from '../../common/router.tsx';
import { formatDate, formatMoney, formatPercent } from '../../common/ui/format.ts';
import { Loading } from '../../common/ui/Loading.tsx';
import { ProblemMessage } from '../../common/ui/ProblemMessage.tsx';
import { WithdrawDialog } from '../../invitations/WithdrawDialog.tsx';
import { RegistrationStatus } from '../../registration/RegistrationStatus.tsx';
import { ReviewPanel } from '../../registration/ReviewPanel.tsx';
import { useMe } from '../../session/queries.ts';
import { STATUS_LABELS, TERMINAL_STATUSES, VIEW_TITLES } from '../labels.ts';
import { dealQueries, type Participant } from '../queries.ts';
import { DealActionButtons, DealActionDialog, useDealAction } from './DealActions.tsx';
import { DealDetails } from './DealDetails.tsx';
import { FavoriteStar } from './FavoriteStar.tsx';
import { History } from './History.tsx';
import { OwnerPanel } from './OwnerPanel.tsx';
import { Participants } from './Participants.tsx';
import { StageBar } from './StageBar.tsx';

export const DealPage = ({ id }: { id: string }) => {
  const query = useQuery(dealQueries.detail(id));
  const me = useMe();
  const [open, setOpen] = useDealAction(query.data?.deal);
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
  const isHost = me.data?.org.kind === 'host';
  const closed = TERMINAL_STATUSES.has(deal.status);
  return (
    <main id="main" className="deal">
      <p>
        <Link href={`/deals?view=${deal.direction}`}>← {VIEW_TITLES[deal.direction]}</Link>
      </p>
      <div className="page-head">
        <h1>{deal.name}</h1>
        <FavoriteStar deal={deal} />
      </div>
      <p className="summary">
        Status: <span className={`status status-${deal.status}`}>{STATUS_LABELS[deal.status]}</span> ·{' '}
        {deal.customer.name} · {formatMoney(deal.value)} · {formatPercent(deal.probability)}
        {closed && deal.closedAt ? ` · closed ${formatDate(deal.closedAt)}` : ''}
      </p>
      <DealActionButtons deal={deal} onOpen={setOpen} />
      {isHost ? <ReviewPanel deal={deal} /> : null}
      <RegistrationStatus deal={deal} />
      <StageBar deal={deal} />
      <DealDetails deal={deal} />
      <OwnerPanel deal={deal} />
      <Participants deal={deal} onWithdraw={setWithdrawing} />
      <CommentsPanel dealId={deal.id} closed={!deal.actions.includes('comment')} />
      <History id={deal.id} />
      {open ? <DealActionDialog deal={deal} action={open} onClose={() => setOpen(null)} /> : null}
      {withdrawing ? (
        <WithdrawDialog deal={deal} participant={withdrawing} onClose={() => setWithdrawing(null)} />
      ) : null}
    </main>
  );
};
