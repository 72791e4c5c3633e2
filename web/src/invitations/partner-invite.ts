/**
 * A partner's invitation as the person writes it, and as the API takes it. Everything the API's
 * partner invitation carries is here: help type, close date, value, notes, the inviting team and
 * the solutions. Close date, value, team and solutions show the deal's until the person changes
 * them (the product prefills them); one left as the deal's is not sent, so the API takes the deal's
 * as it is when the invitation is sent (in the wizard, the deal's as finally typed).
 */
import type { Schemas } from '@co-sell/client';
import { type MoneyDraft, moneyOf } from '../common/fields/money.ts';
import type { Person } from '../common/fields/PersonFields.tsx';
import { optionalText } from '../common/fields/text.ts';
import type { HelpType } from './HelpTypeSelect.tsx';

export type PartnerInvite = NonNullable<Schemas['InviteBody']['partners']>[number];

/** The deal's own values, which a partner's invitation shows until changed. */
export type PartnerDefaults = { closeDate: string; value: MoneyDraft; team: Person[]; solutions: string[] };

/** A partner to invite, with its name to show until the invitation is sent; `null`: the deal's. */
export type PickedPartner = {
  orgId: string;
  name: string;
  helpType: Exclude<HelpType, ''>;
  closeDate: string | null;
  value: MoneyDraft | null;
  notes: string;
  team: Person[] | null;
  solutions: string[] | null;
};

export const pickedPartnerOf = (org: { id: string; name: string }): PickedPartner => ({
  orgId: org.id,
  name: org.name,
  helpType: 'general',
  closeDate: null,
  value: null,
  notes: '',
  team: null,
  solutions: null,
});

/** What the partner's fields show: its own values, else the deal's. */
export const shownPartner = (partner: PickedPartner, defaults: PartnerDefaults) => ({
  closeDate: partner.closeDate ?? defaults.closeDate,
  value: partner.value ?? defaults.value,
  team: partner.team ?? defaults.team,
  solutions: partner.solutions ?? defaults.solutions,
});

/**
 * The partner's invitation as the API takes it: what the person changed, and the help and notes.
 * A cleared date or amount is sent as typed (nothing), so the API's default, the deal's, applies;
 * an emptied team or solution list is sent, so the check says it needs one.
 */
export const partnerBodyOf = (partner: PickedPartner): PartnerInvite => {
  const value = partner.value ? moneyOf(partner.value) : undefined;
  const notes = optionalText(partner.notes);
  return {
    orgId: partner.orgId,
    helpType: partner.helpType,
    ...(partner.closeDate ? { closeDate: partner.closeDate } : {}),
    ...(value ? { value } : {}),
    ...(notes ? { notes } : {}),
    ...(partner.team ? { team: partner.team } : {}),
    ...(partner.solutions ? { solutions: partner.solutions } : {}),
  };
};
