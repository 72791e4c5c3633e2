import { authorizePublishSolution, publishSolution } from '#domain/directory/solutions.ts';
import { memberRoute } from '../route.ts';
import { CreateSolutionBody, SolutionView, solutionView } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    summary: 'Publish a solution',
    description:
      "org-admin. Publishes a solution of the caller's org; only the host publishes host solutions and assessment types.",
    examples: {
      coSellReady: {
        summary: 'A solution ready for co-selling',
        value: { name: 'Fabrikam Data Migration', coSellReady: true },
      },
    },
    authorize: ({ actor, body }) => authorizePublishSolution(actor, body),
    responses: { 201: SolutionView },
    body: CreateSolutionBody,
  },
  async ({ actor, deps, body }) => ({
    status: 201,
    body: solutionView(await publishSolution(deps, actor, body)),
  }),
);
