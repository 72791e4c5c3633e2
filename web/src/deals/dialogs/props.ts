import type { Deal } from '../queries.ts';

/** Every action dialog of the deal page: mounted when opened, so its draft starts from the deal as it is now. */
export type DealDialogProps = { deal: Deal; onClose: () => void };
