/**
 * The domain's enumerations, imported from the one module that declares them, so the console's
 * choices are the API's (a status or reason added there appears here).
 */
export {
  DEAL_STATUSES,
  DECLINE_REASONS,
  HELP_TYPES,
  LOST_REASONS,
  STAGE_PROBABILITY,
  STAGES,
  TERMINAL_STATUSES,
} from '../../domain/deals/model.ts';

export const VIEWS = [
  { view: 'inbound', label: 'Inbound' },
  { view: 'outbound', label: 'Outbound' },
  { view: 'favorites', label: 'Favorites' },
] as const;
