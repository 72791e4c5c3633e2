import { publishSolution } from '#domain/directory/solutions.ts';
import { memberRoute } from '../route.ts';
import { CreateSolutionBody, solutionView } from '../schemas/directory.ts';

export const handler = memberRoute({ body: CreateSolutionBody }, async ({ actor, deps, body }) => ({
  status: 201,
  body: solutionView(await publishSolution(deps, actor, body)),
}));
