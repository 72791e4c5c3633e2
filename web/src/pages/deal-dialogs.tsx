/**
 * The deal page's actions, one modal dialog each; every confirm button repeats the action's name.
 * Each dialog owns its draft and sends one typed call through `useDealChange` (ETag as If-Match).
 */

import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import {
  api,
  type Deal,
  type HelpType,
  type PartnerInvite,
  type Person,
  uploadAttachment,
  useDealChange,
} from '../api.ts';
import { DECLINE_REASONS, LOST_REASONS, STAGE_PROBABILITY, STAGES } from '../labels.ts';
import { Dialog, Field, humanize, type MoneyDraft, MoneyFields, moneyOf, TeamEditor } from '../ui.tsx';
import { HelpTypeSelect, PartnerPicker } from './PartnerPicker.tsx';

type DialogProps = { deal: Deal; open: boolean; onClose: () => void };

const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
const draftOf = (deal: Deal): MoneyDraft => ({
  amount: String(deal.value.amount),
  currency: deal.value.currency,
});

/** The deal fields both Accept and Edit let a person set. */
const useDealFields = (deal: Deal) => {
  const [name, setName] = useState(deal.name);
  const [value, setValue] = useState(draftOf(deal));
  const [closeDate, setCloseDate] = useState(deal.closeDate);
  const [notes, setNotes] = useState(deal.notes ?? '');
  const [crmId, setCrmId] = useState(deal.crmId ?? '');
  const [campaignId, setCampaignId] = useState(deal.campaignId ?? '');
  const [team, setTeam] = useState<Person[]>(deal.team);
  return {
    state: { name, value, closeDate, notes, crmId, campaignId, team },
    render: (error: unknown) => (
      <>
        <Field label="Name" error={error} path="name">
          {(props) => <input {...props} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <MoneyFields label="Value" value={value} onChange={setValue} error={error} path="value" />
        <Field label="Close date" error={error} path="closeDate">
          {(props) => (
            <input {...props} type="date" value={closeDate} onChange={(e) => setCloseDate(e.target.value)} />
          )}
        </Field>
        <Field label="Notes" error={error} path="notes">
          {(props) => <textarea {...props} value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
        <div className="row">
          <Field label="CRM id" error={error} path="crmId">
            {(props) => <input {...props} value={crmId} onChange={(e) => setCrmId(e.target.value)} />}
          </Field>
          <Field label="Campaign" error={error} path="campaignId">
            {(props) => (
              <input {...props} value={campaignId} onChange={(e) => setCampaignId(e.target.value)} />
            )}
          </Field>
        </div>
        <TeamEditor team={team} onChange={setTeam} error={error} path="team" />
      </>
    ),
  };
};
const FIELD_PATHS = ['name', 'value', 'closeDate', 'notes', 'crmId', 'campaignId', 'team'];

export const AcceptDialog = ({ deal, open, onClose }: DialogProps) => {
  const fields = useDealFields(deal);
  const accept = useDealChange(deal.id, (body: Schemas['AcceptBody'], headers) =>
    api.POST('/v1/deals/{id}/accept', { params: { path: { id: deal.id } }, body, headers }),
  );
  const { name, value, closeDate, notes, crmId, campaignId, team } = fields.state;
  return (
    <Dialog
      title="Accept the deal"
      open={open}
      onClose={onClose}
      confirm="Accept"
      busy={accept.isPending}
      error={accept.error}
      shownPaths={FIELD_PATHS}
      onSubmit={() =>
        accept.mutate(
          {
            name,
            value: moneyOf(value),
            closeDate,
            // An inbound deal starts without a team; the API wants at least one member when a team is sent.
            ...(team.length ? { team } : {}),
            ...(optional(notes) ? { notes: optional(notes) } : {}),
            ...(optional(crmId) ? { crmId: optional(crmId) } : {}),
            ...(optional(campaignId) ? { campaignId: optional(campaignId) } : {}),
          },
          { onSuccess: onClose },
        )
      }
    >
      {fields.render(accept.error)}
    </Dialog>
  );
};

export const EditDialog = ({ deal, open, onClose }: DialogProps) => {
  const fields = useDealFields(deal);
  const edit = useDealChange(deal.id, (body: Schemas['UpdateDealBody'], headers) =>
    api.PATCH('/v1/deals/{id}', { params: { path: { id: deal.id } }, body, headers }),
  );
  const { name, value, closeDate, notes, crmId, campaignId, team } = fields.state;
  return (
    <Dialog
      title="Edit the deal"
      open={open}
      onClose={onClose}
      confirm="Save"
      busy={edit.isPending}
      error={edit.error}
      shownPaths={FIELD_PATHS}
      onSubmit={() =>
        edit.mutate(
          {
            name,
            value: moneyOf(value),
            closeDate,
            // An inbound deal starts without a team; the API wants at least one member when a team is sent.
            ...(team.length ? { team } : {}),
            notes: optional(notes) ?? null,
            crmId: optional(crmId) ?? null,
            campaignId: optional(campaignId) ?? null,
          },
          { onSuccess: onClose },
        )
      }
    >
      {fields.render(edit.error)}
    </Dialog>
  );
};

/** A required reason from the API's list (`reason`) and free notes (`notes`): declining, losing. */
const ReasonAndNotes = <R extends string>({
  reasons,
  reason,
  onReason,
  notes,
  onNotes,
  error,
}: {
  reasons: readonly R[];
  reason: R | '';
  onReason: (reason: R | '') => void;
  notes: string;
  onNotes: (notes: string) => void;
  error: unknown;
}) => (
  <>
    <Field label="Reason" error={error} path="reason">
      {(props) => (
        <select {...props} required value={reason} onChange={(e) => onReason(e.target.value as R | '')}>
          <option value="">Choose a reason</option>
          {reasons.map((value) => (
            <option key={value} value={value}>
              {humanize(value)}
            </option>
          ))}
        </select>
      )}
    </Field>
    <Field label="Notes" error={error} path="notes">
      {(props) => <textarea {...props} value={notes} onChange={(e) => onNotes(e.target.value)} />}
    </Field>
  </>
);

export const DeclineDialog = ({ deal, open, onClose }: DialogProps) => {
  const [reason, setReason] = useState<(typeof DECLINE_REASONS)[number] | ''>('');
  const [notes, setNotes] = useState('');
  const decline = useDealChange(deal.id, (body: Schemas['DeclineBody'], headers) =>
    api.POST('/v1/deals/{id}/decline', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Decline the deal"
      open={open}
      onClose={onClose}
      confirm="Decline"
      busy={decline.isPending}
      error={decline.error}
      shownPaths={['reason', 'notes']}
      onSubmit={() =>
        decline.mutate(
          {
            reason: reason as (typeof DECLINE_REASONS)[number],
            ...(optional(notes) ? { notes: optional(notes) } : {}),
          },
          { onSuccess: onClose },
        )
      }
    >
      <ReasonAndNotes
        reasons={DECLINE_REASONS}
        reason={reason}
        onReason={setReason}
        notes={notes}
        onNotes={setNotes}
        error={decline.error}
      />
    </Dialog>
  );
};

const MOVABLE_STAGES = STAGES.filter(
  (stage) => stage !== 'created' && stage !== 'accepted' && stage !== 'won',
);

export const StageDialog = ({ deal, open, onClose }: DialogProps) => {
  const [mode, setMode] = useState<'standard' | 'company'>('standard');
  const [stage, setStage] = useState<string>(
    MOVABLE_STAGES.includes(deal.stage as never) ? deal.stage : 'qualified',
  );
  const [stageName, setStageName] = useState(deal.companyStage?.name ?? '');
  const [probability, setProbability] = useState(String(deal.companyStage?.probability ?? ''));
  type Body = Schemas['ChangeStageBodyInput'];
  const change = useDealChange(
    deal.id,
    (body: Body, headers) =>
      api.POST('/v1/deals/{id}/stage', { params: { path: { id: deal.id } }, body, headers }),
    // The stage bar moves at once; a refusal puts it back.
    (current, body) =>
      body.stage ? { ...current, stage: body.stage, probability: STAGE_PROBABILITY[body.stage] } : current,
  );
  return (
    <Dialog
      title="Change the stage"
      open={open}
      onClose={onClose}
      confirm="Change stage"
      busy={change.isPending}
      error={change.error}
      shownPaths={['stage', 'stageName', 'probability']}
      onSubmit={() =>
        change.mutate(
          mode === 'standard'
            ? { stage: stage as NonNullable<Body['stage']> }
            : { stageName: stageName.trim(), probability: Number(probability) },
          { onSuccess: onClose },
        )
      }
    >
      <fieldset>
        <legend>Stage</legend>
        {MOVABLE_STAGES.map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="stage"
              value={value}
              checked={mode === 'standard' && stage === value}
              onChange={() => {
                setMode('standard');
                setStage(value);
              }}
            />
            {humanize(value)} ({STAGE_PROBABILITY[value]}%)
          </label>
        ))}
        <label className="choice">
          <input
            type="radio"
            name="stage"
            value="company"
            checked={mode === 'company'}
            onChange={() => setMode('company')}
          />
          Your company's stage
        </label>
      </fieldset>
      {mode === 'company' ? (
        <div className="row">
          <Field label="Company stage" error={change.error} path="stageName">
            {(props) => (
              <input {...props} required value={stageName} onChange={(e) => setStageName(e.target.value)} />
            )}
          </Field>
          <Field label="Probability (%)" error={change.error} path="probability">
            {(props) => (
              <input
                {...props}
                required
                type="number"
                min={0}
                max={100}
                value={probability}
                onChange={(e) => setProbability(e.target.value)}
              />
            )}
          </Field>
        </div>
      ) : null}
    </Dialog>
  );
};

export const CloseDialog = ({ deal, open, onClose }: DialogProps) => {
  const [outcome, setOutcome] = useState<'won' | 'lost'>('won');
  const [reason, setReason] = useState<(typeof LOST_REASONS)[number] | ''>('');
  const [notes, setNotes] = useState('');
  const close = useDealChange(deal.id, (body: Schemas['CloseDealBody'], headers) =>
    api.POST('/v1/deals/{id}/close', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Close the deal"
      open={open}
      onClose={onClose}
      confirm="Close deal"
      busy={close.isPending}
      error={close.error}
      shownPaths={['outcome', 'reason', 'notes']}
      onSubmit={() =>
        close.mutate(
          outcome === 'won'
            ? { outcome: 'won' }
            : {
                outcome: 'lost',
                reason: reason as (typeof LOST_REASONS)[number],
                ...(optional(notes) ? { notes: optional(notes) } : {}),
              },
          { onSuccess: onClose },
        )
      }
    >
      <fieldset>
        <legend>Outcome</legend>
        <label className="choice">
          <input type="radio" name="outcome" checked={outcome === 'won'} onChange={() => setOutcome('won')} />
          Won
        </label>
        <label className="choice">
          <input
            type="radio"
            name="outcome"
            checked={outcome === 'lost'}
            onChange={() => setOutcome('lost')}
          />
          Lost
        </label>
      </fieldset>
      {outcome === 'lost' ? (
        <ReasonAndNotes
          reasons={LOST_REASONS}
          reason={reason}
          onReason={setReason}
          notes={notes}
          onNotes={setNotes}
          error={close.error}
        />
      ) : null}
    </Dialog>
  );
};

export const InviteDialog = ({ deal, open, onClose }: DialogProps) => {
  const hostInvited = deal.participants.some((participant) => participant.kind === 'host');
  const [hostHelp, setHostHelp] = useState<HelpType | ''>('');
  const [hostNotes, setHostNotes] = useState('');
  const [partners, setPartners] = useState<(PartnerInvite & { name: string })[]>([]);
  const invite = useDealChange(deal.id, (body: Schemas['InviteBody'], headers) =>
    api.POST('/v1/deals/{id}/invitations', { params: { path: { id: deal.id } }, body, headers }),
  );
  const exclude = new Set([deal.orgId, ...deal.participants.map((participant) => participant.orgId)]);
  return (
    <Dialog
      title="Invite to the deal"
      open={open}
      onClose={onClose}
      confirm="Invite"
      busy={invite.isPending}
      error={invite.error}
      shownPaths={['host', 'partners']}
      onSubmit={() =>
        invite.mutate(
          {
            ...(hostHelp
              ? {
                  host: {
                    helpType: hostHelp,
                    ...(optional(hostNotes) ? { notes: optional(hostNotes) } : {}),
                  },
                }
              : {}),
            ...(partners.length ? { partners: partners.map(({ name: _name, ...partner }) => partner) } : {}),
          },
          { onSuccess: onClose },
        )
      }
    >
      {hostInvited ? null : (
        <>
          <HelpTypeSelect
            label="Host help type"
            value={hostHelp}
            onChange={setHostHelp}
            error={invite.error}
            path="host.helpType"
            allowNone="Do not invite the host"
          />
          {hostHelp ? (
            <Field label="Notes for the host" error={invite.error} path="host.notes">
              {(props) => (
                <textarea {...props} value={hostNotes} onChange={(e) => setHostNotes(e.target.value)} />
              )}
            </Field>
          ) : null}
        </>
      )}
      <PartnerPicker
        selected={partners}
        onChange={setPartners}
        exclude={exclude}
        error={invite.error}
        path="partners"
      />
    </Dialog>
  );
};

const ACCEPTED_FILES = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.csv,.txt';

/**
 * Register now with its evidence: each chosen file is uploaded first (an upload URL from the API,
 * then the bytes PUT there with their content type), then the registration names the uploads.
 */
export const RegisterDialog = ({ deal, open, onClose }: DialogProps) => {
  const [signed, setSigned] = useState(false);
  const [contractValue, setContractValue] = useState<MoneyDraft>({
    amount: '',
    currency: deal.value.currency,
  });
  const [contractDate, setContractDate] = useState('');
  const [purchaseOrder, setPurchaseOrder] = useState('');
  const [notes, setNotes] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const register = useDealChange(
    deal.id,
    async (body: Omit<Schemas['RegisterBody'], 'attachments'>, headers) => {
      // Uploaded once per attempt: an attachment the registration does not name stays unused.
      const attachments: string[] = [];
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
      open={open}
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
            ...(optional(purchaseOrder) ? { purchaseOrder: optional(purchaseOrder) } : {}),
            ...(optional(notes) ? { notes: optional(notes) } : {}),
          },
          { onSuccess: onClose },
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
      <Field
        label="Attachments"
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

/** The inviting org takes back an invitation not yet answered: the invitee's deal becomes `withdrawn`. */
export const WithdrawDialog = ({
  deal,
  participant,
  onClose,
}: {
  deal: Deal;
  participant: Deal['participants'][number];
  onClose: () => void;
}) => {
  const withdraw = useDealChange(deal.id, (_input: undefined, headers) =>
    api.DELETE('/v1/deals/{id}/invitations/{orgId}', {
      params: { path: { id: deal.id, orgId: participant.orgId } },
      headers,
    }),
  );
  return (
    <Dialog
      title={`Withdraw the invitation of ${participant.orgName}`}
      open
      onClose={onClose}
      confirm="Withdraw"
      busy={withdraw.isPending}
      error={withdraw.error}
      onSubmit={() => withdraw.mutate(undefined, { onSuccess: onClose })}
    >
      <p>
        {participant.orgName} has not answered yet. Withdrawn, the invitation can no longer be accepted; you
        can invite {participant.orgName} again later.
      </p>
    </Dialog>
  );
};
