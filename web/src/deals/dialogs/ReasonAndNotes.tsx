import { Field } from '../../common/ui/Field.tsx';
import { humanize } from '../../common/ui/format.ts';

/** A required reason from the API's list (`reason`) and free notes (`notes`): declining, losing. */
export const ReasonAndNotes = <R extends string>({
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
    <Field label="Reason" error={error} path="reason" required>
      {(props) => (
        <select {...props} value={reason} onChange={(e) => onReason(e.target.value as R | '')}>
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
