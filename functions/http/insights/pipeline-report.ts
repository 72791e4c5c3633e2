import { pipelineReport } from '#domain/insights/pipeline.ts';
import { memberRoute } from '../route.ts';
import { PipelineReport } from '../schemas/insights.ts';

export const handler = memberRoute(
  {
    summary: 'Pipeline report',
    description:
      "Counts and values of the caller's visible deals by status and by stage (per currency); `truncated` when the org has more deals than one report reads.",
    responses: { 200: PipelineReport },
  },
  async ({ deps, actor }) => ({
    status: 200,
    body: await pipelineReport(deps, actor),
  }),
);
