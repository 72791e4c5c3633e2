import { downloadAttachment } from '#domain/attachments/use-cases.ts';
import { memberRoute } from '../route.ts';
import { AttachmentParams, DownloadResponse } from '../schemas/attachments.ts';

export const handler = memberRoute(
  {
    summary: 'Download an attachment',
    description:
      'A presigned `GET` URL valid 5 minutes that answers `Content-Disposition: attachment`. 409 `file-not-ready` while the file is not uploaded or not scanned clean; 404 for anyone who may not see it.',
    responses: { 200: DownloadResponse },
    params: AttachmentParams,
  },
  async ({ deps, actor, params }) => ({
    status: 200,
    body: await downloadAttachment(deps, actor, { dealId: params.id, attachmentId: params.attachmentId }),
  }),
);
