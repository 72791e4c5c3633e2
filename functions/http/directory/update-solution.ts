import { updateSolution } from '#domain/directory/solutions.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { SolutionView, solutionView, UpdateSolutionBody } from '../schemas/directory.ts';

export const handler = memberRoute(
  { responses: { 200: SolutionView }, body: UpdateSolutionBody, params: IdParams },
  async ({ actor, deps, body, params }) => ({
    status: 200,
    body: solutionView(await updateSolution(deps, actor, { ...body, id: params.id })),
  }),
);
