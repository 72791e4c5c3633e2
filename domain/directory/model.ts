/** Records of the directory context (docs/domain.md §1): the customer directory and the solution catalog. */

export const SOLUTION_KINDS = ['partner', 'host', 'assessment'] as const;
export type SolutionKind = (typeof SOLUTION_KINDS)[number];

export type Customer = {
  id: string;
  name: string;
  country: string;
  address: string;
  duns?: string;
  /** The org that added it; absent on entries added before this was recorded (the host corrects those). */
  createdByOrgId?: string;
  createdAt: string;
  updatedAt: string;
  /** Moves with every correction: a correction is conditioned on the version it read. */
  version: number;
};

export type Solution = {
  id: string;
  ownerOrgId: string;
  kind: SolutionKind;
  name: string;
  coSellReady: boolean;
  incentiveEligible: boolean;
  createdAt: string;
  updatedAt: string;
};
