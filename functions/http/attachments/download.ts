import { downloadAttachment } from '#domain/attachments/use-cases.ts';
import { memberRoute } from '../route.ts';
import { AttachmentParams, DownloadResponse } from '../schemas/attachments.ts';

export const handler = memberRoute(
  { responses: { 200: DownloadResponse }, params: AttachmentParams },
  async ({ deps, actor, params }) => ({
    status: 200,
    body: await downloadAttachment(deps, actor, { dealId: params.id, attachmentId: params.attachmentId }),
  }),
);
