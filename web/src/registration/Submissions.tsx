/** On the host's deal: what each partner submitted with its registration, its files downloadable. */
import { useState } from 'react';
import { formatDate, formatMoney, formatTime } from '../common/ui/format.ts';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import type { Deal } from '../deals/queries.ts';
import { downloadUrlOf } from './attachments.ts';

/** Opens an attachment: a fresh short-lived URL, then the browser's download (the object answers as one). */
const DownloadButton = ({ dealId, file }: { dealId: string; file: { id: string; fileName: string } }) => {
  const [error, setError] = useState<unknown>(null);
  const open = async () => {
    setError(null);
    try {
      window.location.assign(await downloadUrlOf(dealId, file.id));
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <button type="button" className="link" onClick={() => void open()}>
        Download {file.fileName}
      </button>
      <ProblemMessage error={error} />
    </>
  );
};

export const Submissions = ({ deal }: { deal: Deal }) =>
  deal.registrations.length ? (
    <section aria-labelledby="submissions-heading">
      <h2 id="submissions-heading">Registration submissions</h2>
      <ul className="plain">
        {deal.registrations.map(({ orgId, orgName, submittedAt, submission }) => (
          <li key={orgId} className="card">
            <p>
              <strong>{orgName}</strong>, submitted {formatTime(submittedAt)}
            </p>
            <dl className="details">
              {submission.contractValue ? (
                <>
                  <dt>Contract value</dt>
                  <dd>{formatMoney(submission.contractValue)}</dd>
                </>
              ) : null}
              {submission.contractDate ? (
                <>
                  <dt>Contract date</dt>
                  <dd>{formatDate(submission.contractDate)}</dd>
                </>
              ) : null}
              {submission.purchaseOrder ? (
                <>
                  <dt>Purchase order</dt>
                  <dd>{submission.purchaseOrder}</dd>
                </>
              ) : null}
              {submission.notes ? (
                <>
                  <dt>Notes</dt>
                  <dd>{submission.notes}</dd>
                </>
              ) : null}
            </dl>
            {submission.attachments.length ? (
              <ul aria-label={`Files from ${orgName}`}>
                {submission.attachments.map((file) => (
                  <li key={file.id}>
                    <DownloadButton dealId={deal.id} file={file} />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  ) : null;
