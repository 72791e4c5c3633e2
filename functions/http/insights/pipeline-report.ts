import { pipelineReport } from '#domain/insights/pipeline.ts';
import { memberRoute } from '../route.ts';
import { PipelineQuery, PipelineReport } from '../schemas/insights.ts';

export const handler = memberRoute(
  { responses: { 200: PipelineReport }, query: PipelineQuery },
  async ({ deps, actor, query }) => ({
    status: 200,
    body: await pipelineReport(deps, actor, query.campaignId ? { campaignId: query.campaignId } : {}),
  }),
);
