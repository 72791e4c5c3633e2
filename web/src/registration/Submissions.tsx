/** What a partner submitted with its registration, its files downloadable, and the review thread. */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { formatDate, formatMoney, formatTime } from '../common/ui/format.ts';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { REGISTRATION_STATUS_LABELS } from '../deals/labels.ts';
import { downloadUrlOf } from './attachments.ts';

type Submission = Schemas['DealResponse']['registration']['submission'] & {};
type ReviewMessage = Schemas['DealResponse']['registration']['messages'][number];

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

/** The evidence of one submission; `dealId` is the deal the caller downloads its files through. */
export const SubmissionEvidence = ({
  dealId,
  orgName,
  submission,
}: {
  dealId: string;
  orgName: string;
  submission: Submission;
}) => (
  <>
    <dl className="details">
      <dt>Contract signed</dt>
      <dd>Yes</dd>
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
            <DownloadButton dealId={dealId} file={file} />
          </li>
        ))}
      </ul>
    ) : (
      <p>No files attached.</p>
    )}
  </>
);

/** The host's messages of a review, oldest first. */
export const ReviewThread = ({ messages, label }: { messages: readonly ReviewMessage[]; label: string }) =>
  messages.length ? (
    <ul aria-label={label} className="thread">
      {messages.map((message) => (
        <li key={message.at}>
          {formatTime(message.at)} · {REGISTRATION_STATUS_LABELS[message.decision]}: {message.text}
        </li>
      ))}
    </ul>
  ) : null;
