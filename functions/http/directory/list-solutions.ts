import { listSolutions } from '#domain/directory/solutions.ts';
import { memberRoute } from '../route.ts';
import { ListSolutionsQuery, SolutionPage, solutionView } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    summary: 'List solutions',
    description:
      "Solutions by `owner`: `mine` (the caller's org), `host`, `partners` (other orgs' co-sell-ready solutions) or `assessment` (assessment types).",
    responses: { 200: SolutionPage },
    query: ListSolutionsQuery,
  },
  async ({ actor, deps, query, page, pageBody }) => {
    const solutions = await listSolutions(deps, actor, {
      owner: query.owner,
      page: page(query.limit, query.cursor),
    });
    return { status: 200, body: pageBody(solutions, solutionView) };
  },
);
