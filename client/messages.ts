/**
 * The sentences a person reads when a value breaks one of the API's rules. The API writes its
 * `errors[].message` with them, and the client's own check of a body (`validate.ts`) uses the same
 * function, so a form tells the same thing before sending as the API would after. A rule with its
 * own message in the API's schema keeps that message; these cover the rest.
 */

/** A broken rule, in the words of JSON Schema, at a body path such as `value.amount` or `team.0.email`. */
export type BrokenRule =
  | { rule: 'required'; path: string }
  | { rule: 'type'; path: string; expected: string }
  | { rule: 'minLength' | 'maxLength' | 'minItems' | 'maxItems'; path: string; limit: number }
  | { rule: 'minimum' | 'maximum'; path: string; limit: number }
  | { rule: 'format'; path: string; format: string }
  | { rule: 'enum'; path: string; values: readonly unknown[] }
  | { rule: 'unknown'; path: string };

/** What a field is called in a sentence, by its path with list positions left out. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  name: "the deal's name",
  value: "the deal's estimated value",
  'value.amount': "the deal's estimated value",
  'value.currency': "the value's currency",
  closeDate: 'the expected close date',
  location: 'the country',
  assessmentLocation: 'the assessment location',
  customer: 'the customer',
  'customer.id': 'the customer',
  'customer.contact': "the customer's contact",
  'customer.contact.name': "the contact's name",
  'customer.contact.email': "the contact's email address",
  'customer.contact.phone': "the contact's phone number",
  team: 'the deal team',
  'team.name': "the team member's name",
  'team.email': "the team member's email address",
  'team.phone': "the team member's phone number",
  solutions: 'the solutions',
  notes: 'the notes',
  crmId: 'the CRM id',
  campaignId: 'the campaign id',
  reason: 'a reason',
  stage: 'the stage',
  stageName: "your stage's name",
  probability: 'the probability',
  text: 'the comment',
  message: 'the message',
  contractValue: 'the contract value',
  'contractValue.amount': 'the contract value',
  contractDate: 'the contract date',
  purchaseOrder: 'the purchase order',
  helpType: 'the help you need',
  'host.helpType': 'the help you ask of the host',
  'host.notes': 'the notes for the host',
  partners: 'the partners to invite',
  'partners.helpType': 'the help you ask of the partner',
  'partners.closeDate': "the partner's close date",
  'partners.value': "the partner's value",
  'partners.value.amount': "the partner's value",
  'partners.value.currency': "the partner's currency",
  'partners.notes': 'the notes for the partner',
  'partners.team': 'your team for the partner',
  'partners.team.name': "the team member's name",
  'partners.team.email': "the team member's email address",
  'partners.team.phone': "the team member's phone number",
  'partners.solutions': "the partner's solutions",
  email: 'an email address',
  phone: 'a phone number',
};

/** The name of the field at `path`: its own, else its last segment's, else the path itself. */
export const fieldName = (path: string): string => {
  const general = path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');
  for (let parts = general.split('.'); parts.length > 0; parts = parts.slice(1)) {
    const name = FIELD_NAMES[parts.join('.')];
    if (name) return name;
  }
  const last = general.split('.').at(-1) ?? general;
  return `the ${last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() || 'request'}`;
};

const FORMATS: Readonly<Record<string, string>> = {
  date: 'as a date, e.g. 2027-06-30',
  email: 'in the form name@example.com',
  'date-time': 'as a date and time',
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The sentence for one broken rule. */
export const sentence = (broken: BrokenRule): string => {
  const name = fieldName(broken.path);
  switch (broken.rule) {
    case 'required':
      return `Enter ${name}.`;
    case 'type':
      return broken.expected === 'number' ? `Enter ${name} as a number.` : `Enter ${name}.`;
    case 'minLength':
      return broken.limit <= 1
        ? `Enter ${name}.`
        : `Enter at least ${plural(broken.limit, 'character', 'characters')} for ${name}.`;
    case 'maxLength':
      return `Write at most ${plural(broken.limit, 'character', 'characters')} for ${name}.`;
    case 'minItems':
      return `Add at least ${broken.limit} to ${name}.`;
    case 'maxItems':
      return `Add at most ${broken.limit} to ${name}.`;
    case 'minimum':
      return `Enter ${broken.limit} or more for ${name}.`;
    case 'maximum':
      return `Enter at most ${broken.limit} for ${name}.`;
    case 'format':
      return `Enter ${name} ${FORMATS[broken.format] ?? 'in the expected format'}.`;
    case 'enum':
      return `Choose ${name} from the list.`;
    case 'unknown':
      return `Check ${name}.`;
  }
};
