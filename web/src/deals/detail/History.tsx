/** The deal's timeline: who did what, and each field's old → new value. */
import { useQuery } from '@tanstack/react-query';
import { formatTime, humanize } from '../../common/ui/format.ts';
import { Loading } from '../../common/ui/Loading.tsx';
import { ProblemMessage } from '../../common/ui/ProblemMessage.tsx';
import { dealQueries } from '../queries.ts';
import { describeChange } from './changes.ts';

const actorName = (actor: Record<string, unknown>): string =>
  String(actor.email ?? actor.orgName ?? actor.sub ?? 'someone');

export const History = ({ id }: { id: string }) => {
  const history = useQuery(dealQueries.history(id));
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
              {entry.changes.map((change) => (
                <span key={change.field} className="change">
                  {describeChange(change)}
                </span>
              ))}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
