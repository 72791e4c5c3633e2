/**
 * A deal's comments, newest first, with who wrote them; `engagement` comments reach every org taking
 * part, `org` comments stay inside the writer's org. The API's messages show at the field they name.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Field } from '../common/ui/Field.tsx';
import { formatTime } from '../common/ui/format.ts';
import { Loading } from '../common/ui/Loading.tsx';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { type CommentBody, commentQueries, useAddComment } from './queries.ts';

const VISIBILITY: Record<CommentBody['visibility'], string> = {
  engagement: 'Everyone on the deal',
  org: 'Only my organization',
};

export const CommentsPanel = ({ dealId, closed }: { dealId: string; closed: boolean }) => {
  const comments = useQuery(commentQueries.list(dealId));
  const add = useAddComment(dealId);
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<CommentBody['visibility']>('engagement');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // No `required`: an empty comment is the API's to refuse, and its message shows at the field.
    add.mutate({ text, visibility }, { onSuccess: () => setText('') });
  };
  return (
    <section aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {closed ? null : (
        <form onSubmit={submit} className="comment-form">
          <Field label="Comment" error={add.error} path="text">
            {(props) => <textarea {...props} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <Field label="Visible to" error={add.error} path="visibility">
            {(props) => (
              <select
                {...props}
                value={visibility}
                onChange={(e) => setVisibility(e.target.value as CommentBody['visibility'])}
              >
                {Object.entries(VISIBILITY).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ProblemMessage error={add.error} shownPaths={['text', 'visibility']} />
          <button type="submit" disabled={add.isPending}>
            Add comment
          </button>
        </form>
      )}
      <ProblemMessage error={comments.error} />
      {comments.isPending ? (
        <Loading what="comments" />
      ) : comments.data?.items.length ? (
        <ol className="comments">
          {comments.data.items.map((comment) => (
            <li key={comment.id}>
              <p className="comment-meta">
                <strong>{comment.author.name}</strong> ({comment.author.orgName}) ·{' '}
                <time dateTime={comment.createdAt}>{formatTime(comment.createdAt)}</time>
                {comment.visibility === 'org' ? ' · only your organization' : ''}
              </p>
              <p className="comment-text">{comment.text}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p>No comments yet.</p>
      )}
    </section>
  );
};
