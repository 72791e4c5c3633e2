import { pipelineReport } from '#domain/insights/pipeline.ts';
import { memberRoute } from '../route.ts';
import { PipelineReport } from '../schemas/insights.ts';

export const handler = memberRoute({ responses: { 200: PipelineReport } }, async ({ deps, actor }) => ({
  status: 200,
  body: await pipelineReport(deps, actor),
}));
