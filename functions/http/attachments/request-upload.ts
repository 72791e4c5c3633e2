import { authorizeUpload, requestUpload } from '#domain/attachments/use-cases.ts';
import { memberRoute } from '../route.ts';
import { UploadBody, UploadResponse } from '../schemas/attachments.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: 'Request an attachment upload URL',
    description:
      "Records an attachment of the caller's org on this deal and answers a presigned `PUT` URL, valid 15 minutes, that signs the content type and size: send the bytes there with that `content-type`. Types pdf, png, jpeg, docx, xlsx, csv, txt; at most 10 MiB; a `fileName` without `/`, `\\` or bidirectional-control characters (422 before any URL otherwise).",
    examples: {
      orderForm: {
        summary: 'A signed order form (PDF)',
        value: { fileName: 'order-form.pdf', contentType: 'application/pdf', size: 48213 },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeUpload(deps, actor, { dealId: params.id }),
    responses: { 201: UploadResponse },
    params: IdParams,
    body: UploadBody,
  },
  async ({ deps, actor, params, body }) => {
    const { attachment, uploadUrl, expiresAt } = await requestUpload(deps, actor, {
      dealId: params.id,
      ...body,
    });
    return { status: 201, body: { id: attachment.id, uploadUrl, expiresAt } };
  },
);
