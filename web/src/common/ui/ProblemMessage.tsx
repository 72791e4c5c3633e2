import { ApiProblem } from '../api.ts';

/** What failed, when it is not about one field (or names fields this form does not show). */
export const ProblemMessage = ({
  error,
  shownPaths = [],
}: {
  error: unknown;
  shownPaths?: readonly string[];
}) => {
  if (!error) return null;
  if (!(error instanceof ApiProblem))
    return (
      <p role="alert" className="problem">
        {(error as Error).message ?? 'Something went wrong.'}
      </p>
    );
  const others = (error.problem.errors ?? []).filter(
    (entry) => !shownPaths.some((path) => entry.path === path || entry.path.startsWith(`${path}.`)),
  );
  return (
    <div role="alert" className="problem">
      <p>{error.problem.detail || error.problem.title}</p>
      {others.length ? (
        <ul>
          {others.map((entry) => (
            <li key={entry.path + entry.message}>
              {entry.path}: {entry.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};
