/**
 * Whom to invite: the host with the help asked of it (and notes), and partners, each with every
 * field of its invitation (PartnerInviteFields). The wizard's Invite step (body field `invite`) and
 * the deal page's Invite dialog (the body itself) share the draft, the controls and the body.
 */
import type { Schemas } from '@co-sell/client';
import { optionalText } from '../common/fields/text.ts';
import { Field } from '../common/ui/Field.tsx';
import { type HelpType, HelpTypeSelect } from './HelpTypeSelect.tsx';
import { PartnerPicker } from './PartnerPicker.tsx';
import { type PartnerDefaults, type PickedPartner, partnerBodyOf } from './partner-invite.ts';

export type InviteDraft = { hostHelp: HelpType | ''; hostNotes: string; partners: PickedPartner[] };

export const NO_INVITATIONS: InviteDraft = { hostHelp: '', hostNotes: '', partners: [] };

export const invitesAnyone = (draft: InviteDraft): boolean =>
  draft.hostHelp !== '' || draft.partners.length > 0;

export const inviteBodyOf = ({ hostHelp, hostNotes, partners }: InviteDraft): Schemas['InviteBody'] => ({
  ...(hostHelp
    ? { host: { helpType: hostHelp, ...(optionalText(hostNotes) ? { notes: optionalText(hostNotes) } : {}) } }
    : {}),
  ...(partners.length ? { partners: partners.map(partnerBodyOf) } : {}),
});

export const InviteFields = ({
  draft,
  onChange,
  error,
  path,
  hostInvited,
  hostNeedsContact,
  exclude,
  defaults,
  assessments,
}: {
  draft: InviteDraft;
  onChange: (draft: InviteDraft) => void;
  error: unknown;
  /** The body field holding the invitations (`invite` in the wizard), or none when they are the body. */
  path?: string;
  /** The host already takes part, so it is not offered. */
  hostInvited: boolean;
  /** The deal has no customer contact yet, which the host's invitation needs: say how to add it. */
  hostNeedsContact?: boolean;
  exclude: ReadonlySet<string>;
  /** What a partner's invitation starts from: the deal's close date, value, team and solutions. */
  defaults: PartnerDefaults;
  /** The deal is a solution assessment. */
  assessments?: boolean;
}) => {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  return (
    <>
      {hostInvited ? null : hostNeedsContact ? (
        <p className="hint">
          To invite the host, first add the customer contact with Edit; the host then co-sells this deal with
          you.
        </p>
      ) : (
        <>
          <HelpTypeSelect
            label="Host help type"
            value={draft.hostHelp}
            onChange={(hostHelp) => onChange({ ...draft, hostHelp })}
            error={error}
            path={at('host.helpType')}
            allowNone="Do not invite the host"
          />
          {draft.hostHelp ? (
            <Field label="Notes for the host" error={error} path={at('host.notes')}>
              {(props) => (
                <textarea
                  {...props}
                  value={draft.hostNotes}
                  onChange={(e) => onChange({ ...draft, hostNotes: e.target.value })}
                />
              )}
            </Field>
          ) : null}
        </>
      )}
      <PartnerPicker
        selected={draft.partners}
        onChange={(partners) => onChange({ ...draft, partners })}
        exclude={exclude}
        defaults={defaults}
        error={error}
        path={at('partners')}
        {...(assessments ? { assessments } : {})}
      />
    </>
  );
};
