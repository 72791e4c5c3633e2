import { authorizeExport, startExport } from '#domain/deals/use-cases/export-deals.ts';
import { memberRoute } from '../route.ts';
import { exportResponse } from '../schemas/deals/presenter.ts';
import { ExportDealsBody } from '../schemas/deals/requests.ts';
import { ExportResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Export a deal list as CSV',
    description:
      'Starts writing the deals `GET /v1/deals` would list with these filters (every page) into a CSV file, in the background, and answers 202 with the export and its `Location`. Poll `GET /v1/deals/exports/{id}` until `status` is `ready`, then download `downloadUrl`. Only the caller sees the export; it is kept 24 hours.',
    examples: {
      accepted: {
        summary: "The org's accepted outbound deals",
        value: { view: 'outbound', status: 'accepted' },
      },
    },
    authorize: ({ actor }) => authorizeExport(actor),
    responses: { 202: ExportResponse },
    body: ExportDealsBody,
  },
  async ({ deps, actor, body }) => {
    const { view, status, ...filter } = body;
    const job = await startExport(deps, actor, {
      ...filter,
      ...(view ? { tab: view } : {}),
      ...(status ? { statuses: status } : {}),
    });
    return {
      status: 202,
      headers: { Location: `/v1/deals/exports/${job.id}` },
      body: exportResponse({ job }),
    };
  },
);
