import { pipelineReport } from '#domain/insights/pipeline.ts';
import { memberRoute } from '../route.ts';
import { PipelineQuery, PipelineReport } from '../schemas/insights.ts';

export const handler = memberRoute(
  {
    summary: 'Pipeline report',
    description:
      "Counts and values of the caller's visible deals by status, by stage and by campaign (per currency), optionally of one campaign (`campaignId`); `truncated` when the org has more deals than one report reads.",
    query: PipelineQuery,
    responses: { 200: PipelineReport },
  },
  async ({ deps, actor, query }) => ({
    status: 200,
    body: await pipelineReport(deps, actor, query.campaignId ? { campaignId: query.campaignId } : {}),
  }),
);
