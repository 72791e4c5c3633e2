/** The help an invitee is asked for, from the API's list. */
import type { Schemas } from '@co-sell/client';
import { membersOf } from '../common/enums.ts';
import { Field } from '../common/ui/Field.tsx';
import { humanize } from '../common/ui/format.ts';

export type HelpType = NonNullable<Schemas['InviteBody']['host']>['helpType'];

const HELP_TYPES = membersOf<HelpType>({
  none: true,
  general: true,
  architecture: true,
  technical: true,
  pricing: true,
  'executive-sponsor': true,
  'customer-introduction': true,
});

export const HelpTypeSelect = ({
  label,
  value,
  onChange,
  error,
  path,
  allowNone,
}: {
  label: string;
  value: HelpType | '';
  onChange: (value: HelpType | '') => void;
  error?: unknown;
  path: string;
  /** The text of an empty choice, when choosing none is allowed. */
  allowNone?: string;
}) => (
  <Field label={label} error={error} path={path}>
    {(props) => (
      <select {...props} value={value} onChange={(e) => onChange(e.target.value as HelpType | '')}>
        {allowNone ? <option value="">{allowNone}</option> : null}
        {HELP_TYPES.map((type) => (
          <option key={type} value={type}>
            {humanize(type)}
          </option>
        ))}
      </select>
    )}
  </Field>
);
