/**
 * The CSV export's layout (docs/api.md "Export deals as CSV"): its columns in order and one deal as
 * a row of cell texts. What a cell may not start with is decided here too, so no spreadsheet that
 * opens the file runs a deal's text as a formula.
 */
import type { DealView } from '../ports.ts';

export const EXPORT_COLUMNS = [
  'id',
  'crmId',
  'name',
  'status',
  'direction',
  'type',
  'location',
  'customerName',
  'customerCountry',
  'amount',
  'currency',
  'closeDate',
  'stage',
  'campaignId',
  'owner',
  'partners',
  'createdAt',
  'updatedAt',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/**
 * Spreadsheets read a cell starting with one of these as a formula (OWASP's CSV injection list), and
 * a formula can fetch URLs or run commands when the file is opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as written: a text a spreadsheet would take for a formula gets a leading `'`. */
export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** Separates the other orgs' names in the `partners` cell. */
export const PARTNER_SEPARATOR = '; ';

/** The deal owner's email; empty while nobody answers for the deal. */
const ownerEmail = ({ deal }: DealView): string => deal.owner?.email ?? '';

const CELLS: { readonly [C in ExportColumn]: (view: DealView) => string } = {
  id: ({ deal }) => deal.id,
  crmId: ({ deal }) => deal.crmId ?? '',
  name: ({ deal }) => deal.name,
  status: ({ deal }) => deal.status,
  direction: ({ deal }) => deal.direction,
  type: ({ type }) => type,
  location: ({ deal }) => deal.location,
  customerName: ({ deal }) => deal.customer.name,
  customerCountry: ({ deal }) => deal.customer.country,
  amount: ({ deal }) => String(deal.value.amount),
  currency: ({ deal }) => deal.value.currency,
  closeDate: ({ deal }) => deal.closeDate,
  stage: ({ deal }) => deal.stage,
  campaignId: ({ deal }) => deal.campaignId ?? '',
  owner: ownerEmail,
  // The other orgs of the engagement, as the deal's org may see them (rules/participants.ts).
  partners: ({ participants }) =>
    participants.map((participant) => participant.orgName).join(PARTNER_SEPARATOR),
  createdAt: ({ deal }) => deal.createdAt,
  updatedAt: ({ deal }) => deal.updatedAt,
};

/** One deal as its export row: a cell per column, in the columns' order. */
export const exportRow = (view: DealView): string[] =>
  EXPORT_COLUMNS.map((column) => neutralizeFormula(CELLS[column](view)));
