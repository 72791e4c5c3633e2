/** The caller's favorite mark on the deal: turns at once, and back should the API refuse. */
import { api } from '../../common/api.ts';
import type { Deal } from '../queries.ts';
import { useDealChange } from '../use-deal-change.ts';

/** `compact`: the list's star, named by the deal it marks. */
export const FavoriteStar = ({ deal, compact }: { deal: Deal; compact?: boolean }) => {
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
      className={compact ? 'star compact' : 'star'}
      aria-pressed={deal.favorite}
      onClick={() => toggle.mutate(!deal.favorite)}
      title={deal.favorite ? 'Remove from favorites' : 'Add to favorites'}
    >
      <span aria-hidden="true">{deal.favorite ? '★' : '☆'}</span>{' '}
      {compact ? <span className="visually-hidden">Favorite {deal.name}</span> : 'Favorite'}
    </button>
  );
};
