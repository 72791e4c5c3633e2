/**
 * The create wizard (`/deals/new`): customer (country, then autosuggest with D-U-N-S; contact and
 * consent), details, team, solutions by kind, invitations (host help type, ranked partner search).
 * One form across the steps; an error the API names sends the person back to the step with that field.
 */
import type { Schemas } from '@co-sell/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useDeferredValue, useEffect, useRef, useState } from 'react';
import {
  ApiProblem,
  api,
  type HelpType,
  keys,
  type PartnerInvite,
  type Person,
  unwrap,
  useMe,
} from '../api.ts';
import { navigate, useTitle } from '../router.tsx';
import { Field, type MoneyDraft, MoneyFields, moneyOf, ProblemMessage, TeamEditor } from '../ui.tsx';
import { HelpTypeSelect, PartnerPicker } from './PartnerPicker.tsx';

const STEPS = ['Customer', 'Details', 'Team', 'Solutions', 'Invite'] as const;
/** Which step shows the body field an error names (by its first path segment). */
const STEP_OF: Record<string, number> = {
  customer: 0,
  name: 1,
  location: 0,
  value: 1,
  closeDate: 1,
  crmId: 1,
  campaignId: 1,
  notes: 1,
  team: 2,
  solutions: 3,
  assessmentLocation: 3,
  invite: 4,
};
const SOLUTION_GROUPS = [
  { owner: 'mine', label: 'Your solutions' },
  { owner: 'host', label: 'Host solutions' },
  { owner: 'assessment', label: 'Assessments' },
] as const;
type Customer = Schemas['CustomerView'];

const CustomerStep = ({
  country,
  setCountry,
  customer,
  setCustomer,
  error,
}: {
  country: string;
  setCountry: (value: string) => void;
  customer: Customer | null;
  setCustomer: (value: Customer | null) => void;
  error: unknown;
}) => {
  const [q, setQ] = useState('');
  const prefix = useDeferredValue(q.trim());
  const suggestions = useQuery({
    queryKey: ['customers', country, prefix],
    queryFn: async () =>
      (await unwrap(api.GET('/v1/customers', { params: { query: { country, q: prefix, limit: 10 } } }))).data,
    enabled: country.length === 2 && prefix.length > 0 && !customer,
  });
  return (
    <>
      <Field label="Country" hint="Two letters, e.g. DE." error={error} path="location">
        {(props) => (
          <input
            {...props}
            required
            maxLength={2}
            value={country}
            onChange={(e) => {
              setCountry(e.target.value.toUpperCase());
              setCustomer(null);
            }}
          />
        )}
      </Field>
      {customer ? (
        <p className="picked">
          Customer: <strong>{customer.name}</strong>, {customer.address}
          {customer.duns ? ` · D-U-N-S ${customer.duns}` : ''}{' '}
          <button type="button" onClick={() => setCustomer(null)}>
            Change customer
          </button>
        </p>
      ) : (
        <>
          <Field label="Customer" hint="Start typing the customer's name." error={error} path="customer.id">
            {(props) => <input {...props} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
          </Field>
          {suggestions.data?.items.length ? (
            <ul className="suggestions" aria-label="Matching customers">
              {suggestions.data.items.map((entry) => (
                <li key={entry.id}>
                  <button type="button" onClick={() => setCustomer(entry)}>
                    {entry.name}
                  </button>
                  <small>
                    {' '}
                    {entry.address}
                    {entry.duns ? ` · D-U-N-S ${entry.duns}` : ''}
                  </small>
                </li>
              ))}
            </ul>
          ) : prefix && suggestions.isSuccess ? (
            <p>
              No customer in {country} starts with “{prefix}”.
            </p>
          ) : null}
        </>
      )}
    </>
  );
};

export const NewDealPage = () => {
  useTitle('New deal');
  const me = useMe();
  const client = useQueryClient();
  const [step, setStep] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const [country, setCountry] = useState('');
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [contact, setContact] = useState<Person>({ name: '', email: '', phone: '' });
  const [consent, setConsent] = useState(false);
  const [name, setName] = useState('');
  const [value, setValue] = useState<MoneyDraft>({ amount: '', currency: 'EUR' });
  const [closeDate, setCloseDate] = useState('');
  const [crmId, setCrmId] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [notes, setNotes] = useState('');
  const [team, setTeam] = useState<Person[]>([]);
  const [solutions, setSolutions] = useState<string[]>([]);
  const [assessmentLocation, setAssessmentLocation] = useState('');
  const [hostHelp, setHostHelp] = useState<HelpType | ''>('');
  const [hostNotes, setHostNotes] = useState('');
  const [partners, setPartners] = useState<(PartnerInvite & { name: string })[]>([]);

  useEffect(() => {
    if (!country && me.data?.locations[0]) setCountry(me.data.locations[0]);
  }, [country, me.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new step moves focus to its heading
  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  const recent = useQuery({
    queryKey: ['contacts', 'recent'],
    queryFn: async () => (await unwrap(api.GET('/v1/contacts/recent'))).data,
    enabled: step === 2,
  });
  const catalog = useQuery({
    queryKey: ['solutions', 'catalog'],
    queryFn: async () =>
      Promise.all(
        SOLUTION_GROUPS.map(async (group) => ({
          ...group,
          items: (
            await unwrap(api.GET('/v1/solutions', { params: { query: { owner: group.owner, limit: 100 } } }))
          ).data.items,
        })),
      ),
    enabled: step >= 3,
  });
  const pickedAssessment = (catalog.data ?? []).some(
    (group) => group.owner === 'assessment' && group.items.some((item) => solutions.includes(item.id)),
  );

  const create = useMutation({
    mutationFn: async (body: Schemas['CreateDealBody']) =>
      (await unwrap(api.POST('/v1/deals', { body }))).data,
    onSuccess: (deal) => {
      void client.invalidateQueries({ queryKey: keys.allDeals });
      navigate(`/deals/${deal.id}`);
    },
    onError: (error) => {
      const first = error instanceof ApiProblem ? error.problem.errors?.[0]?.path.split('.')[0] : undefined;
      if (first !== undefined && STEP_OF[first] !== undefined) setStep(STEP_OF[first]);
    },
  });

  const contactGiven = contact.name || contact.email || contact.phone;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (step < STEPS.length - 1) {
      setStep(step + 1);
      return;
    }
    const optional = (text: string) => (text.trim() ? text.trim() : undefined);
    create.mutate({
      customer: {
        id: customer?.id ?? '',
        ...(contactGiven ? { contact } : {}),
        consentToShareWithHost: consent,
      },
      name: name.trim(),
      location: country,
      value: moneyOf(value),
      closeDate,
      team,
      solutions,
      ...(optional(crmId) ? { crmId: optional(crmId) } : {}),
      ...(optional(campaignId) ? { campaignId: optional(campaignId) } : {}),
      ...(optional(notes) ? { notes: optional(notes) } : {}),
      ...(pickedAssessment && optional(assessmentLocation)
        ? { assessmentLocation: optional(assessmentLocation) }
        : {}),
      ...(hostHelp || partners.length
        ? {
            invite: {
              ...(hostHelp
                ? {
                    host: {
                      helpType: hostHelp,
                      ...(optional(hostNotes) ? { notes: optional(hostNotes) } : {}),
                    },
                  }
                : {}),
              ...(partners.length
                ? { partners: partners.map(({ name: _name, ...partner }) => partner) }
                : {}),
            },
          }
        : {}),
    });
  };
  const error = create.error;

  return (
    <main id="main">
      <h1>New deal</h1>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((label, index) => (
          <li
            key={label}
            {...(index === step ? { 'aria-current': 'step' as const } : {})}
            className={index === step ? 'current' : ''}
          >
            {index + 1}. {label}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} noValidate>
        <h2 ref={heading} tabIndex={-1}>
          {STEPS[step]}
        </h2>
        {step === 0 ? (
          <>
            <CustomerStep
              country={country}
              setCountry={setCountry}
              customer={customer}
              setCustomer={setCustomer}
              error={error}
            />
            <fieldset>
              <legend>Customer contact</legend>
              <Field label="Contact name" error={error} path="customer.contact.name">
                {(props) => (
                  <input
                    {...props}
                    value={contact.name}
                    onChange={(e) => setContact({ ...contact, name: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Contact email" error={error} path="customer.contact.email">
                {(props) => (
                  <input
                    {...props}
                    type="email"
                    value={contact.email}
                    onChange={(e) => setContact({ ...contact, email: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Contact phone" error={error} path="customer.contact.phone">
                {(props) => (
                  <input
                    {...props}
                    type="tel"
                    value={contact.phone}
                    onChange={(e) => setContact({ ...contact, phone: e.target.value })}
                  />
                )}
              </Field>
              <label className="choice">
                <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
                The customer consents to sharing their contact with the host
              </label>
            </fieldset>
          </>
        ) : null}
        {step === 1 ? (
          <>
            <Field label="Deal name" error={error} path="name">
              {(props) => (
                <input {...props} required value={name} onChange={(e) => setName(e.target.value)} />
              )}
            </Field>
            <MoneyFields label="Value" value={value} onChange={setValue} error={error} path="value" />
            <Field label="Close date" error={error} path="closeDate">
              {(props) => (
                <input
                  {...props}
                  type="date"
                  value={closeDate}
                  onChange={(e) => setCloseDate(e.target.value)}
                />
              )}
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
            <Field label="Notes" error={error} path="notes">
              {(props) => <textarea {...props} value={notes} onChange={(e) => setNotes(e.target.value)} />}
            </Field>
          </>
        ) : null}
        {step === 2 ? (
          <>
            <TeamEditor team={team} onChange={setTeam} error={error} path="team" legend="Deal team" />
            {recent.data?.items.length ? (
              <section aria-label="Recent contacts">
                <h3>Recent contacts</h3>
                <ul className="suggestions">
                  {recent.data.items
                    .filter((person) => !team.some((member) => member.email === person.email))
                    .map((person) => (
                      <li key={person.email}>
                        <button type="button" onClick={() => setTeam([...team, person])}>
                          Add {person.name}
                        </button>
                      </li>
                    ))}
                </ul>
              </section>
            ) : null}
          </>
        ) : null}
        {step === 3 ? (
          <>
            {(catalog.data ?? []).map((group) => (
              <fieldset key={group.owner}>
                <legend>{group.label}</legend>
                {group.items.length === 0 ? <p>None.</p> : null}
                {group.items.map((solution) => (
                  <label key={solution.id} className="choice">
                    <input
                      type="checkbox"
                      checked={solutions.includes(solution.id)}
                      onChange={(e) =>
                        setSolutions(
                          e.target.checked
                            ? [...solutions, solution.id]
                            : solutions.filter((id) => id !== solution.id),
                        )
                      }
                    />
                    {solution.name}
                    {solution.incentiveEligible ? ' (incentive eligible)' : ''}
                    {solution.coSellReady ? '' : ' (not co-sell ready)'}
                  </label>
                ))}
              </fieldset>
            ))}
            {errorsList(error, 'solutions')}
            {pickedAssessment ? (
              <Field label="Assessment location" error={error} path="assessmentLocation">
                {(props) => (
                  <input
                    {...props}
                    maxLength={2}
                    value={assessmentLocation}
                    onChange={(e) => setAssessmentLocation(e.target.value.toUpperCase())}
                  />
                )}
              </Field>
            ) : null}
          </>
        ) : null}
        {step === 4 ? (
          <>
            <HelpTypeSelect
              label="Host help type"
              value={hostHelp}
              onChange={setHostHelp}
              error={error}
              path="invite.host.helpType"
              allowNone="Do not invite the host"
            />
            {hostHelp ? (
              <Field label="Notes for the host" error={error} path="invite.host.notes">
                {(props) => (
                  <textarea {...props} value={hostNotes} onChange={(e) => setHostNotes(e.target.value)} />
                )}
              </Field>
            ) : null}
            <PartnerPicker
              selected={partners}
              onChange={setPartners}
              exclude={new Set(me.data ? [me.data.org.id] : [])}
              error={error}
              path="invite.partners"
            />
          </>
        ) : null}
        <ProblemMessage
          error={error}
          shownPaths={Object.keys(STEP_OF).filter((key) => STEP_OF[key] === step)}
        />
        <div className="actions">
          {step > 0 ? (
            <button type="button" onClick={() => setStep(step - 1)}>
              Back
            </button>
          ) : null}
          <button type="submit" className="primary" disabled={create.isPending || (step === 0 && !customer)}>
            {step < STEPS.length - 1 ? 'Next' : 'Create deal'}
          </button>
        </div>
      </form>
    </main>
  );
};

const errorsList = (error: unknown, path: string) => {
  const messages = error instanceof ApiProblem ? error.fieldErrors(path) : [];
  return messages.length ? <p className="field-error">{messages.join(' ')}</p> : null;
};
