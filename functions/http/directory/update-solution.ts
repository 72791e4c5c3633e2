import { updateSolution } from '#domain/directory/solutions.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { SolutionView, solutionView, UpdateSolutionBody } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    summary: 'Change a solution',
    description:
      'org-admin of the owning org. Renames a solution or changes its co-sell readiness and incentive eligibility.',
    examples: {
      rename: {
        summary: 'Rename a solution and mark it co-sell ready',
        value: { name: 'Fabrikam Analytics Suite', coSellReady: true },
      },
    },
    responses: { 200: SolutionView },
    body: UpdateSolutionBody,
    params: IdParams,
  },
  async ({ actor, deps, body, params }) => ({
    status: 200,
    body: solutionView(await updateSolution(deps, actor, { ...body, id: params.id })),
  }),
);
