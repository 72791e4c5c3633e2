/**
 * The create wizard (`/deals/new`): customer (country, then autosuggest with D-U-N-S; contact and
 * consent), the deal's fields (details, then team), solutions by kind, invitations (host help type,
 * ranked partner search). One form across the steps: Next checks the step's fields against the
 * API's own schema of the body (the typed client's `validateBody`, in the API's words) and stays
 * on the step while any is wrong; an error only the API can find sends the person back to the step
 * with that field.
 */
import type { Schemas } from '@co-sell/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiProblem, api, checkBody, dataOf } from '../../common/api.ts';
import { NO_ONE } from '../../common/fields/PersonFields.tsx';
import { optionalText } from '../../common/fields/text.ts';
import { navigate, useTitle } from '../../common/router.tsx';
import { ProblemMessage } from '../../common/ui/ProblemMessage.tsx';
import { directoryQueries } from '../../directory/queries.ts';
import {
  InviteFields,
  inviteBodyOf,
  invitesAnyone,
  NO_INVITATIONS,
} from '../../invitations/InviteFields.tsx';
import { useMe } from '../../session/queries.ts';
import { DealFields, useDealDraft } from '../fields/DealFields.tsx';
import { dealBodyOf, dealFieldPaths } from '../fields/deal-fields.ts';
import { dealKeys } from '../queries.ts';
import { type CustomerDraft, CustomerStep, customerBodyOf } from './CustomerStep.tsx';
import { pickedAssessment, type SolutionsDraft, SolutionsStep } from './SolutionsStep.tsx';
import { TeamStep } from './TeamStep.tsx';

/** Each step with the body fields it shows (by their first path segment). */
const STEPS = [
  { title: 'Customer', paths: ['customer', 'location'] },
  { title: 'Details', paths: dealFieldPaths('details') },
  { title: 'Team', paths: dealFieldPaths('team') },
  { title: 'Solutions', paths: ['solutions', 'assessmentLocation'] },
  { title: 'Invite', paths: ['invite'] },
] as const satisfies readonly { title: string; paths: readonly string[] }[];
const LAST = STEPS.length - 1;

const stepShowing = (error: unknown): number => {
  const field = error instanceof ApiProblem ? error.problem.errors?.[0]?.path.split('.')[0] : undefined;
  return STEPS.findIndex((step) => field !== undefined && (step.paths as readonly string[]).includes(field));
};

export const NewDealPage = () => {
  useTitle('New deal');
  const me = useMe();
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const [customer, setCustomer] = useState<CustomerDraft>({
    country: '',
    customer: null,
    contact: NO_ONE,
    consent: false,
  });
  const [deal, changeDeal] = useDealDraft();
  const [solutions, setSolutions] = useState<SolutionsDraft>({ ids: [], assessmentLocation: '' });
  const [invite, setInvite] = useState(NO_INVITATIONS);

  // The country starts as the person's first location.
  useEffect(() => {
    const home = me.data?.locations[0];
    if (home) setCustomer((current) => (current.country ? current : { ...current, country: home }));
  }, [me.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new step moves focus to its heading
  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  const catalog = useQuery({ ...directoryQueries.solutions(), enabled: step >= 3 });
  const assessment = pickedAssessment(catalog.data ?? [], solutions);

  const create = useMutation({
    mutationFn: (body: Schemas['CreateDealBody']) => dataOf(api.POST('/v1/deals', { body })),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: dealKeys.lists() });
      navigate(`/deals/${created.id}`);
    },
    onError: (error) => {
      const showing = stepShowing(error);
      if (showing >= 0) setStep(showing);
    },
  });

  const [stepError, setStepError] = useState<ApiProblem | null>(null);
  const body = (): Schemas['CreateDealBody'] => ({
    ...customerBodyOf(customer),
    ...dealBodyOf(deal, 'create'),
    solutions: solutions.ids,
    ...(assessment && optionalText(solutions.assessmentLocation)
      ? { assessmentLocation: optionalText(solutions.assessmentLocation) }
      : {}),
    ...(invitesAnyone(invite) ? { invite: inviteBodyOf(invite) } : {}),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = checkBody('CreateDealBody', body(), STEPS[step]?.paths ?? []);
    if (problem) {
      setStepError(problem);
      return;
    }
    setStepError(null);
    if (step < LAST) {
      create.reset();
      setStep(step + 1);
      return;
    }
    create.mutate(body());
  };
  const error = stepError ?? create.error;

  return (
    <main id="main">
      <h1>New deal</h1>
      <ol className="steps" aria-label="Steps">
        {STEPS.map(({ title }, index) => (
          <li
            key={title}
            {...(index === step ? { 'aria-current': 'step' as const } : {})}
            className={index === step ? 'current' : ''}
          >
            {index + 1}. {title}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} noValidate>
        <h2 ref={heading} tabIndex={-1}>
          {STEPS[step]?.title}
        </h2>
        {step === 0 ? (
          <CustomerStep
            draft={customer}
            onChange={setCustomer}
            error={error}
            locations={me.data?.locations ?? []}
          />
        ) : null}
        {step === 1 ? <DealFields step="details" draft={deal} onChange={changeDeal} error={error} /> : null}
        {step === 2 ? <TeamStep draft={deal} onChange={changeDeal} error={error} /> : null}
        {step === 3 ? (
          <SolutionsStep
            groups={me.data?.org.capabilities.includes('solution-assessment') ? 'all' : 'solutions'}
            catalog={catalog.data ?? []}
            draft={solutions}
            onChange={setSolutions}
            error={error}
          />
        ) : null}
        {step === 4 ? (
          <InviteFields
            draft={invite}
            onChange={setInvite}
            error={error}
            path="invite"
            hostInvited={false}
            exclude={new Set(me.data ? [me.data.org.id] : [])}
            defaults={{
              closeDate: deal.closeDate,
              value: deal.value,
              team: deal.team,
              solutions: solutions.ids,
            }}
            assessments={assessment}
          />
        ) : null}
        <ProblemMessage error={error} shownPaths={STEPS[step]?.paths ?? []} />
        <div className="actions">
          {step > 0 ? (
            <button
              type="button"
              onClick={() => {
                setStepError(null);
                setStep(step - 1);
              }}
            >
              Back
            </button>
          ) : null}
          <button
            type="submit"
            className="primary"
            disabled={create.isPending || (step === 0 && !customer.customer)}
          >
            {step < LAST ? 'Next' : 'Create deal'}
          </button>
        </div>
      </form>
    </main>
  );
};
