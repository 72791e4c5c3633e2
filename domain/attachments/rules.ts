/**
 * What may be attached (docs/api.md "Registration evidence and attachments"): the allowed types, the
 * size limit, how long the presigned URLs live and when a file may be handed out. Pure rules.
 */
import { BusinessRuleError, ConflictError } from '../shared/errors.ts';
import { LIMITS, type Quota } from '../shared/limits.ts';
import { ATTACHMENT_TYPES, type Attachment, type AttachmentContentType } from './model.ts';

/** A presigned upload lives 15 minutes: long enough for 10 MiB on a slow line, short if leaked. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** A presigned download lives 5 minutes: a browser follows it at once. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;

/**
 * What the attachment limit counts: the records of one deal, uploaded or not (each asked-for upload
 * holds a place in the bucket's use).
 */
export const ATTACHMENT_QUOTA: Quota = { limit: LIMITS.attachmentsPerDeal };

export const isAllowedType = (contentType: string): contentType is AttachmentContentType =>
  Object.hasOwn(ATTACHMENT_TYPES, contentType);

/** Refuses a file the platform does not take, before any upload URL exists (422). */
export const checkUpload = (upload: { contentType: string; size: number }): AttachmentContentType => {
  if (!isAllowedType(upload.contentType)) {
    throw new BusinessRuleError(
      'unsupported-file-type',
      `Attach ${Object.values(ATTACHMENT_TYPES).join(', ')} files only (${Object.keys(ATTACHMENT_TYPES).join(', ')}); "${upload.contentType}" is not one of them.`,
    );
  }
  if (upload.size > LIMITS.attachmentBytes) {
    throw new BusinessRuleError(
      'file-too-large',
      `A file may have at most ${LIMITS.attachmentBytes} bytes (10 MiB); this one has ${upload.size}.`,
    );
  }
  return upload.contentType;
};

/** Refuses a download until the file is in the bucket and the malware scan found it clean (409). */
export const checkDownloadable = (attachment: Attachment): void => {
  if (!attachment.uploaded) {
    throw new ConflictError('file-not-ready', 'The file has not been uploaded yet.');
  }
  if (attachment.scan !== 'clean') {
    throw new ConflictError(
      'file-not-ready',
      attachment.scan === 'infected'
        ? 'The malware scan found a threat in this file; it cannot be downloaded.'
        : 'The file is still being scanned for malware; try again shortly.',
      attachment.scan === 'pending' ? { retryAfterSeconds: 30 } : {},
    );
  }
};
