/**
 * What may be attached (docs/api.md "Registration evidence and attachments"): the allowed types, the
 * size limit, how long the presigned URLs live and when a file may be handed out. Pure rules.
 */
import { BusinessRuleError, ConflictError } from '../kernel/errors.ts';
import { LIMITS, type Quota } from '../kernel/limits.ts';
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

/**
 * Characters a file name may not hold: path separators (a name saved as given could land in another
 * folder) and the Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
 * U+061C), with which `invoice\u202Efdp.exe` shows as `invoiceexe.pdf`.
 */
const UNSAFE_IN_FILE_NAME = /[/\\\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/** Refuses a file name that could mislead whoever saves or reads it (422), before it is stored. */
export const checkFileName = (fileName: string): void => {
  if (UNSAFE_IN_FILE_NAME.test(fileName)) {
    throw new BusinessRuleError(
      'unsafe-file-name',
      'A file name may not contain / or \\, nor characters that reverse the direction of text; rename the file and attach it again.',
    );
  }
};

/** Refuses a file the platform does not take, before any upload URL exists (422). */
export const checkUpload = (upload: {
  fileName: string;
  contentType: string;
  size: number;
}): AttachmentContentType => {
  checkFileName(upload.fileName);
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

/**
 * Refuses a submitted file whose frozen copy no longer holds the bytes submitted (409): they are
 * never handed out, whatever a scan says of the new ones.
 */
export const checkUnchanged = (copy: { changed: boolean }): void => {
  if (!copy.changed) return;
  throw new ConflictError(
    'file-changed',
    'The bytes of this file are no longer those submitted with the registration; the partner must submit the registration again.',
  );
};
