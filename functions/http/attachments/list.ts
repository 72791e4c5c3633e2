import { listAttachments } from '#domain/attachments/use-cases.ts';
import { memberRoute } from '../route.ts';
import { AttachmentList, attachmentResponse } from '../schemas/attachments.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: "A deal's attachments",
    description:
      "The caller's org's files of this deal, with `uploaded` once the object exists and the malware `scan` status; on the host's deal also the files of each submitted registration.",
    responses: { 200: AttachmentList },
    params: IdParams,
  },
  async ({ deps, actor, params }) => ({
    status: 200,
    body: { items: (await listAttachments(deps, actor, params.id)).map(attachmentResponse) },
  }),
);
