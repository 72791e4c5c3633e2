import { getExport } from '#domain/deals/use-cases/export-deals.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { exportResponse } from '../schemas/deals/presenter.ts';
import { ExportResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Get a CSV export',
    description:
      "The caller's export: `running`, `failed`, or `ready` with the number of deals and a presigned download URL valid 5 minutes (ask again for a fresh one). Anyone else's export, or one past its 24 hours, is 404.",
    responses: { 200: ExportResponse },
    params: IdParams,
  },
  async ({ deps, actor, params }) => ({
    status: 200,
    body: exportResponse(await getExport(deps, actor, params.id)),
  }),
);
