/**
 * One partner's invitation: the help asked of it, its close date and value (the deal's, to change
 * if its part differs), notes for it, the team that works with it and the solutions it brings.
 * `path` is where the API names this partner's fields (`partners.0`, `invite.partners.0`).
 */
import { useQuery } from '@tanstack/react-query';
import { MoneyFields } from '../common/fields/MoneyFields.tsx';
import { TeamEditor } from '../common/fields/TeamEditor.tsx';
import { Field } from '../common/ui/Field.tsx';
import { Loading } from '../common/ui/Loading.tsx';
import { SolutionsStep } from '../deals/wizard/SolutionsStep.tsx';
import { directoryQueries } from '../directory/queries.ts';
import { HelpTypeSelect } from './HelpTypeSelect.tsx';
import { type PartnerDefaults, type PickedPartner, shownPartner } from './partner-invite.ts';

export const PartnerInviteFields = ({
  partner,
  onChange,
  onRemove,
  error,
  path,
  defaults,
  assessments,
}: {
  partner: PickedPartner;
  /** The deal's values, shown until the person changes them. */
  defaults: PartnerDefaults;
  onChange: (partner: PickedPartner) => void;
  onRemove: () => void;
  error?: unknown;
  path: string;
  /** The deal is a solution assessment: its invitations name assessment types, nothing else. */
  assessments?: boolean;
}) => {
  const catalog = useQuery(directoryQueries.solutions());
  const { name } = partner;
  const shown = shownPartner(partner, defaults);
  return (
    <fieldset className="partner-invite">
      <legend>Invitation of {name}</legend>
      <HelpTypeSelect
        label={`Help type for ${name}`}
        value={partner.helpType}
        onChange={(helpType) => onChange({ ...partner, helpType: helpType || 'none' })}
        error={error}
        path={`${path}.helpType`}
      />
      <div className="row">
        <Field
          label={`Close date for ${name}`}
          hint="When they should complete their part; they may change it after accepting."
          error={error}
          path={`${path}.closeDate`}
        >
          {(props) => (
            <input
              {...props}
              type="date"
              value={shown.closeDate}
              onChange={(e) => onChange({ ...partner, closeDate: e.target.value })}
            />
          )}
        </Field>
      </div>
      <MoneyFields
        label={`Value for ${name}`}
        value={shown.value}
        onChange={(value) => onChange({ ...partner, value })}
        error={error}
        path={`${path}.value`}
      />
      <Field
        label={`Notes for ${name}`}
        hint="Why you invite them: it helps them decide."
        error={error}
        path={`${path}.notes`}
      >
        {(props) => (
          <textarea
            {...props}
            value={partner.notes}
            onChange={(e) => onChange({ ...partner, notes: e.target.value })}
          />
        )}
      </Field>
      <TeamEditor
        legend={`Your team for ${name}`}
        team={shown.team}
        onChange={(team) => onChange({ ...partner, team })}
        error={error}
        path={`${path}.team`}
      />
      <fieldset>
        <legend>Solutions for {name}</legend>
        {catalog.data ? (
          <SolutionsStep
            groups={assessments ? 'assessments' : 'solutions'}
            catalog={catalog.data}
            draft={{ ids: shown.solutions, assessmentLocation: '' }}
            onChange={(draft) => onChange({ ...partner, solutions: draft.ids })}
            error={error}
            path={`${path}.solutions`}
            fixedLocation
          />
        ) : (
          <Loading what="the solutions" />
        )}
      </fieldset>
      <button type="button" onClick={onRemove}>
        Remove {name}
      </button>
    </fieldset>
  );
};
