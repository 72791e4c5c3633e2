/**
 * Editing the deal's fields, its customer contact and the consent to share it with the host; a field
 * emptied here is cleared on the deal. Adding the contact is how a deal without one can invite the
 * host.
 */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { NO_ONE, PersonFields } from '../../common/fields/PersonFields.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { done } from '../../common/ui/toast.ts';
import { DealFields, useDealDraft } from '../fields/DealFields.tsx';
import { dealBodyOf, dealFieldPaths } from '../fields/deal-fields.ts';
import type { Deal } from '../queries.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';

type CustomerEdit = NonNullable<Schemas['UpdateDealBody']['customer']>;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The body's `customer`: only what changed, and a contact only once any of it is given. */
const customerEditOf = (
  deal: Deal,
  contact: Schemas['Person'],
  consent: boolean,
): CustomerEdit | undefined => {
  const given = contact.name || contact.email || contact.phone;
  const edit: CustomerEdit = {
    ...(given && !sameJson(contact, deal.customer.contact ?? NO_ONE) ? { contact } : {}),
    ...(consent !== deal.customer.consentToShareWithHost ? { consentToShareWithHost: consent } : {}),
  };
  return Object.keys(edit).length ? edit : undefined;
};

export const EditDialog = ({ deal, onClose }: DealDialogProps) => {
  const [draft, change] = useDealDraft(deal);
  const [contact, setContact] = useState(deal.customer.contact ?? NO_ONE);
  const [consent, setConsent] = useState(deal.customer.consentToShareWithHost);
  const edit = useDealChange(deal.id, (body: Schemas['UpdateDealBody'], headers) =>
    api.PATCH('/v1/deals/{id}', { params: { path: { id: deal.id } }, body, headers }),
  );
  const customer = customerEditOf(deal, contact, consent);
  return (
    <Dialog
      title="Edit the deal"
      open
      onClose={onClose}
      confirm="Save"
      busy={edit.isPending}
      error={edit.error}
      shownPaths={[...dealFieldPaths(), 'customer']}
      onSubmit={() =>
        edit.mutate(
          { ...dealBodyOf(draft, 'update'), ...(customer ? { customer } : {}) },
          { onSuccess: done(onClose, 'The deal was saved.') },
        )
      }
    >
      <DealFields draft={draft} onChange={change} error={edit.error} />
      <fieldset>
        <legend>Customer contact at {deal.customer.name}</legend>
        <PersonFields
          who="Contact"
          person={contact}
          onChange={setContact}
          error={edit.error}
          path="customer.contact"
        />
        <label className="choice">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
          The customer consents to sharing their contact with the host
        </label>
      </fieldset>
    </Dialog>
  );
};
