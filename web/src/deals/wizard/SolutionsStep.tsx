/**
 * The wizard's solutions step: the catalog by kind, and where an assessment takes place when one is
 * picked. Assessments show only to an org vetted for them (its `solution-assessment` capability), and
 * one assessment type is a deal's only solution: picking it replaces the others.
 */
import type { Schemas } from '@co-sell/client';
import { CountryOptions } from '../../common/fields/CountrySelect.tsx';
import { Field, FieldErrors } from '../../common/ui/Field.tsx';

type SolutionGroup = { owner: string; label: string; items: Schemas['SolutionView'][] };

export type SolutionsDraft = { ids: string[]; assessmentLocation: string };

export const pickedAssessment = (catalog: readonly SolutionGroup[], draft: SolutionsDraft): boolean =>
  catalog.some(
    (group) => group.owner === 'assessment' && group.items.some((item) => draft.ids.includes(item.id)),
  );

const isAssessment = (catalog: readonly SolutionGroup[], id: string): boolean =>
  catalog.some((group) => group.owner === 'assessment' && group.items.some((item) => item.id === id));

/** The name of each solution of the catalog, by id. */
export const solutionNames = (catalog: readonly SolutionGroup[]): Map<string, string> =>
  new Map(catalog.flatMap((group) => group.items.map((item) => [item.id, item.name] as const)));

export const SolutionsStep = ({
  catalog,
  draft,
  onChange,
  error,
  fixedLocation,
  groups,
  path = 'solutions',
}: {
  catalog: readonly SolutionGroup[];
  draft: SolutionsDraft;
  onChange: (draft: SolutionsDraft) => void;
  error: unknown;
  /** Editing a deal: the assessment location was fixed when it was created. */
  fixedLocation?: boolean;
  /** Which groups to offer: assessments only, everything else, or all. */
  groups: 'assessments' | 'solutions' | 'all';
  /** Where the API names the list in `errors[].path`. */
  path?: string;
}) => (
  <>
    {catalog
      .filter((group) =>
        groups === 'all' ? true : (group.owner === 'assessment') === (groups === 'assessments'),
      )
      .map((group) => (
        <fieldset key={group.owner}>
          <legend>{group.label}</legend>
          {group.items.length === 0 ? <p>None.</p> : null}
          {group.items.map((solution) => (
            <label key={solution.id} className="choice">
              <input
                type="checkbox"
                // A deal takes only co-sell-ready solutions; one already on the deal can still be removed.
                disabled={!solution.coSellReady && !draft.ids.includes(solution.id)}
                checked={draft.ids.includes(solution.id)}
                onChange={(e) =>
                  onChange({
                    ...draft,
                    ids: !e.target.checked
                      ? draft.ids.filter((id) => id !== solution.id)
                      : solution.kind === 'assessment'
                        ? [solution.id]
                        : [...draft.ids.filter((id) => !isAssessment(catalog, id)), solution.id],
                  })
                }
              />
              {solution.name}
              {solution.incentiveEligible ? ' (incentive eligible)' : ''}
              {solution.coSellReady ? '' : ' (not co-sell ready)'}
            </label>
          ))}
        </fieldset>
      ))}
    <FieldErrors error={error} path={path} />
    {pickedAssessment(catalog, draft) && !fixedLocation ? (
      <Field label="Assessment location" error={error} path="assessmentLocation">
        {(props) => (
          <select
            {...props}
            value={draft.assessmentLocation}
            onChange={(e) => onChange({ ...draft, assessmentLocation: e.target.value })}
          >
            <CountryOptions />
          </select>
        )}
      </Field>
    ) : null}
  </>
);
