/** Favorites: a user's own marks on its org's deals (the Favorites tab lists them). */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { findVisibleDeal } from './read-deals.ts';

/** Marks or unmarks a deal for the caller. Favorites belong to the user, so terminal deals still toggle. */
export const setFavorite = async (
  deps: Deps,
  actor: Actor,
  command: { dealId: string; favorite: boolean },
): Promise<void> => {
  const { deal } = await findVisibleDeal(deps, actor, command.dealId);
  await deps.deals.setFavorite(actor.sub, deal, command.favorite, deps.clock.now().toISOString());
};
