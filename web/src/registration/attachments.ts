/** A registration's evidence: files uploaded to the deal, and fresh download URLs for them. */
import type { Schemas } from '@co-sell/client';
import { ApiProblem, api, dataOf } from '../common/api.ts';

/**
 * Uploads one file as an attachment of the deal: the API records it and answers a presigned PUT,
 * which must carry exactly the declared content type. A refusal names `attachments`, the field
 * the register form shows files in.
 */
export const uploadAttachment = async (dealId: string, file: File): Promise<string> => {
  const contentType = file.type || 'application/octet-stream';
  let upload: Schemas['UploadResponse'];
  try {
    upload = await dataOf(
      api.POST('/v1/deals/{id}/attachments', {
        params: { path: { id: dealId } },
        body: { fileName: file.name, contentType, size: file.size },
      }),
    );
  } catch (failure) {
    if (!(failure instanceof ApiProblem)) throw failure;
    throw new ApiProblem({
      ...failure.problem,
      errors: [{ path: 'attachments', message: `${file.name}: ${failure.problem.detail}` }],
    });
  }
  const put = await fetch(upload.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: file,
  });
  if (!put.ok) throw new Error(`The upload of ${file.name} failed (${put.status}).`);
  return upload.id;
};

/** A short-lived download URL of an attachment (409 `file-not-ready` until scanned clean). */
export const downloadUrlOf = async (dealId: string, attachmentId: string): Promise<string> =>
  (
    await dataOf(
      api.GET('/v1/deals/{id}/attachments/{attachmentId}', {
        params: { path: { id: dealId, attachmentId } },
      }),
    )
  ).downloadUrl;
