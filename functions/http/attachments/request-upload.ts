import { requestUpload } from '#domain/attachments/use-cases.ts';
import { memberRoute } from '../route.ts';
import { UploadBody, UploadResponse } from '../schemas/attachments.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  { responses: { 201: UploadResponse }, params: IdParams, body: UploadBody },
  async ({ deps, actor, params, body }) => {
    const { attachment, uploadUrl, expiresAt } = await requestUpload(deps, actor, {
      dealId: params.id,
      ...body,
    });
    return { status: 201, body: { id: attachment.id, uploadUrl, expiresAt } };
  },
);
