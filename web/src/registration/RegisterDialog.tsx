/**
 * Register now with its evidence: each chosen file is uploaded first (an upload URL from the API,
 * then the bytes PUT there with their content type), then the registration names the uploads. A
 * resubmission (after the host asked for action) starts from what was submitted, its files kept
 * unless unticked.
 */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../common/api.ts';
import { MoneyFields } from '../common/fields/MoneyFields.tsx';
import { type MoneyDraft, moneyDraftOf, moneyOf } from '../common/fields/money.ts';
import { optionalText } from '../common/fields/text.ts';
import { Dialog } from '../common/ui/Dialog.tsx';
import { Field } from '../common/ui/Field.tsx';
import { done } from '../common/ui/toast.ts';
import type { DealDialogProps } from '../deals/dialogs/props.ts';
import { useDealChange } from '../deals/use-deal-change.ts';
import { uploadAttachment } from './attachments.ts';

const ACCEPTED_FILES = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.csv,.txt';

export const RegisterDialog = ({ deal, onClose }: DealDialogProps) => {
  const earlier = deal.registration.submission;
  const [signed, setSigned] = useState(earlier !== null);
  const [contractValue, setContractValue] = useState<MoneyDraft>(
    earlier?.contractValue
      ? moneyDraftOf(earlier.contractValue)
      : { amount: '', currency: deal.value.currency },
  );
  const [contractDate, setContractDate] = useState(earlier?.contractDate ?? '');
  const [purchaseOrder, setPurchaseOrder] = useState(earlier?.purchaseOrder ?? '');
  const [notes, setNotes] = useState(earlier?.notes ?? '');
  const [kept, setKept] = useState<string[]>(earlier?.attachments.map((file) => file.id) ?? []);
  const [files, setFiles] = useState<File[]>([]);
  const register = useDealChange(
    deal.id,
    async (body: Omit<Schemas['RegisterBody'], 'attachments'>, headers) => {
      // Uploaded once per attempt: an attachment the registration does not name stays unused.
      const attachments: string[] = [...kept];
      for (const file of files) attachments.push(await uploadAttachment(deal.id, file));
      return api.POST('/v1/deals/{id}/registration', {
        params: { path: { id: deal.id } },
        body: { ...body, ...(attachments.length ? { attachments } : {}) },
        headers,
      });
    },
  );
  return (
    <Dialog
      title="Register the deal"
      open
      onClose={onClose}
      confirm="Register now"
      busy={register.isPending}
      error={register.error}
      shownPaths={[
        'contractSigned',
        'contractValue',
        'contractDate',
        'purchaseOrder',
        'notes',
        'attachments',
      ]}
      onSubmit={() =>
        register.mutate(
          {
            contractSigned: true,
            ...(contractValue.amount.trim() ? { contractValue: moneyOf(contractValue) } : {}),
            ...(contractDate ? { contractDate } : {}),
            ...(optionalText(purchaseOrder) ? { purchaseOrder: optionalText(purchaseOrder) } : {}),
            ...(optionalText(notes) ? { notes: optionalText(notes) } : {}),
          },
          { onSuccess: done(onClose, 'The registration was submitted to the host.') },
        )
      }
    >
      <label className="choice">
        <input type="checkbox" required checked={signed} onChange={(e) => setSigned(e.target.checked)} />
        The customer has signed the contract
      </label>
      <MoneyFields
        label="Contract value"
        value={contractValue}
        onChange={setContractValue}
        error={register.error}
        path="contractValue"
      />
      <div className="row">
        <Field label="Contract date" error={register.error} path="contractDate">
          {(props) => (
            <input
              {...props}
              type="date"
              value={contractDate}
              onChange={(e) => setContractDate(e.target.value)}
            />
          )}
        </Field>
        <Field label="Purchase order" error={register.error} path="purchaseOrder">
          {(props) => (
            <input {...props} value={purchaseOrder} onChange={(e) => setPurchaseOrder(e.target.value)} />
          )}
        </Field>
      </div>
      <Field label="Notes" error={register.error} path="notes">
        {(props) => <textarea {...props} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      {earlier?.attachments.length ? (
        <fieldset>
          <legend>Files submitted before</legend>
          {earlier.attachments.map((file) => (
            <label key={file.id} className="choice">
              <input
                type="checkbox"
                checked={kept.includes(file.id)}
                onChange={(e) =>
                  setKept(e.target.checked ? [...kept, file.id] : kept.filter((id) => id !== file.id))
                }
              />
              Keep {file.fileName}
            </label>
          ))}
        </fieldset>
      ) : null}
      <Field
        label={earlier?.attachments.length ? 'More attachments' : 'Attachments'}
        error={register.error}
        path="attachments"
        hint="PDF, PNG, JPEG, Word, Excel, CSV or text; at most 10 MiB each."
      >
        {(props) => (
          <input
            {...props}
            type="file"
            multiple
            accept={ACCEPTED_FILES}
            onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          />
        )}
      </Field>
    </Dialog>
  );
};
