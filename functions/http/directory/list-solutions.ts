import { listSolutions } from '#domain/directory/solutions.ts';
import { memberRoute } from '../route.ts';
import { ListSolutionsQuery, SolutionPage, solutionView } from '../schemas/directory.ts';

export const handler = memberRoute(
  { responses: { 200: SolutionPage }, query: ListSolutionsQuery },
  async ({ actor, deps, query, page, pageBody }) => {
    const solutions = await listSolutions(deps, actor, {
      owner: query.owner,
      page: page(query.limit, query.cursor),
    });
    return { status: 200, body: pageBody(solutions, solutionView) };
  },
);
