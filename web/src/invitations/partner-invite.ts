/**
 * A partner's invitation as the person writes it, and as the API takes it. Everything the API's
 * partner invitation carries is here: help type, close date, value, notes, the inviting team and
 * the solutions. Close date, value, team and solutions start as the deal's (the product prefills
 * them), so inviting as the deal stands takes no typing; each can be changed before sending.
 */
import type { Schemas } from '@co-sell/client';
import { type MoneyDraft, moneyOf } from '../common/fields/money.ts';
import type { Person } from '../common/fields/PersonFields.tsx';
import { optionalText } from '../common/fields/text.ts';
import type { HelpType } from './HelpTypeSelect.tsx';

export type PartnerInvite = NonNullable<Schemas['InviteBody']['partners']>[number];

/** What a new partner invitation starts from: the deal's own values. */
export type PartnerDefaults = { closeDate: string; value: MoneyDraft; team: Person[]; solutions: string[] };

/** A partner to invite, with its name to show until the invitation is sent. */
export type PickedPartner = {
  orgId: string;
  name: string;
  helpType: Exclude<HelpType, ''>;
  closeDate: string;
  value: MoneyDraft;
  notes: string;
  team: Person[];
  solutions: string[];
};

export const pickedPartnerOf = (
  org: { id: string; name: string },
  defaults: PartnerDefaults,
): PickedPartner => ({
  orgId: org.id,
  name: org.name,
  helpType: 'general',
  closeDate: defaults.closeDate,
  value: defaults.value,
  notes: '',
  team: defaults.team,
  solutions: defaults.solutions,
});

/**
 * The partner's invitation as the API takes it. A cleared date or value is left out (the API then
 * takes the deal's); team and solutions are always sent, so an emptied list is refused in words.
 */
export const partnerBodyOf = (partner: PickedPartner): PartnerInvite => {
  const value = moneyOf(partner.value);
  const notes = optionalText(partner.notes);
  return {
    orgId: partner.orgId,
    helpType: partner.helpType,
    ...(partner.closeDate ? { closeDate: partner.closeDate } : {}),
    ...(value ? { value } : {}),
    ...(notes ? { notes } : {}),
    team: partner.team,
    solutions: partner.solutions,
  };
};
