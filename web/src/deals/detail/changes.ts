/** A history entry's change in words: the field's name and its old → new value as people read them. */
import type { Schemas } from '@co-sell/client';
import { formatDate, formatMoney, formatPercent, humanize } from '../../common/ui/format.ts';
import {
  type DealStatus,
  REGISTRATION_STATUS_LABELS,
  type RegistrationStatus,
  STATUS_LABELS,
} from '../labels.ts';

type Change = Schemas['HistoryEntryResponse']['changes'][number];

/** Fields whose name on screen is not their own name humanized. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  closeDate: 'Close date',
  crmId: 'CRM id',
  campaignId: 'Campaign',
  companyStage: 'Company stage',
  team: 'Deal team',
  participants: 'Organizations',
  'customer.contact': 'Customer contact',
  'customer.consentToShareWithHost': 'Consent to share the contact with the host',
  'registration.status': 'Registration',
  'registration.messages': 'Messages to the partner',
};

const labelOf = (field: string): string =>
  FIELD_LABELS[field] ??
  humanize((field.split('.').at(-1) ?? field).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A recorded value as people read it: money as money, a person by name, a status by its label. */
const show = (field: string, value: unknown): string => {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return field === 'probability' ? formatPercent(value) : String(value);
  if (typeof value === 'string') {
    if (field === 'status') return STATUS_LABELS[value as DealStatus] ?? value;
    if (field === 'registration.status')
      return REGISTRATION_STATUS_LABELS[value as RegistrationStatus] ?? value;
    if (field === 'stage') return humanize(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => show(field, item)).join(', ');
  if (isRecord(value)) {
    if (typeof value.amount === 'number' && typeof value.currency === 'string')
      return formatMoney({ amount: value.amount, currency: value.currency as Schemas['Money']['currency'] });
    if (typeof value.name === 'string' && typeof value.probability === 'number')
      return `${value.name} (${formatPercent(value.probability)})`;
    if (typeof value.name === 'string')
      return value.email ? `${value.name} (${String(value.email)})` : value.name;
    if (typeof value.reason === 'string') return humanize(value.reason);
    if (typeof value.text === 'string') return `“${value.text}”`;
    if (typeof value.fileName === 'string') return value.fileName;
  }
  return JSON.stringify(value);
};

/** One change in words: `Value: €250,000.00 → €1.00`, `Deal team: added Ann`. */
export const describeChange = (change: Change): string => {
  const label = labelOf(change.field);
  const parts: string[] = [];
  if ('from' in change || 'to' in change)
    parts.push(`${show(change.field, change.from)} → ${show(change.field, change.to)}`);
  if (change.added?.length) parts.push(`added ${show(change.field, change.added)}`);
  if (change.removed?.length) parts.push(`removed ${show(change.field, change.removed)}`);
  return parts.length ? `${label}: ${parts.join('; ')}` : `${label} reordered`;
};
