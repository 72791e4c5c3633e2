/**
 * Partners the API suggests for this deal, best first, each with why and what it offers, and one
 * button that invites it at once. The partner search below stays for anyone else.
 */
import { useQuery } from '@tanstack/react-query';
import { directoryQueries } from '../directory/queries.ts';

export const PartnerSuggestions = ({
  dealId,
  exclude,
  onInvite,
  busy,
}: {
  dealId: string;
  /** Partners already picked in the dialog: not offered twice. */
  exclude: ReadonlySet<string>;
  onInvite: (partner: { orgId: string; name: string }) => void;
  busy: boolean;
}) => {
  const suggestions = useQuery(directoryQueries.partnerSuggestions(dealId));
  // A deal that cannot invite partners has none to offer; the dialog's own fields say what it can do.
  if (suggestions.isError) return null;
  const items = (suggestions.data?.items ?? []).filter((item) => !exclude.has(item.org.id));
  return (
    <section aria-labelledby="suggested-partners">
      <h3 id="suggested-partners">Suggested partners</h3>
      {suggestions.isPending ? (
        <p className="hint">Looking for partners who take deals like this one…</p>
      ) : items.length === 0 ? (
        <p className="hint">No partner to suggest; search for one below.</p>
      ) : (
        <>
          {suggestions.data?.basis === 'responsiveness' ? (
            <p className="hint">
              No partner has answered a deal like this one yet, so these are the quickest to answer.
            </p>
          ) : null}
          <ul className="partner-suggestions" aria-label="Suggested partners">
            {items.map((item) => (
              <li key={item.org.id}>
                <div className="row">
                  <strong>{item.org.name}</strong>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => onInvite({ orgId: item.org.id, name: item.org.name })}
                  >
                    Invite {item.org.name}
                  </button>
                </div>
                {item.reasons.length ? (
                  <ul className="reasons">
                    {item.reasons.map((reason) => (
                      <li key={reason.code}>{reason.text}</li>
                    ))}
                  </ul>
                ) : null}
                {item.solutions.length ? (
                  <small>Offers {item.solutions.map((solution) => solution.name).join(', ')}</small>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
};
