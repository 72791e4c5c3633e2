/** Request and response shapes of the attachment routes. */
import * as z from 'zod';
import { ATTACHMENT_TYPES, type Attachment, SCAN_STATUSES } from '#domain/attachments/model.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { Id, Timestamp } from './common.ts';

export const AttachmentParams = z.strictObject({ id: Id, attachmentId: Id });

/**
 * The type and size are checked by the domain (422 before any URL is issued), so any string and
 * any positive size pass this shape.
 */
export const UploadBody = z.strictObject({
  fileName: z.string().trim().min(1).max(LIMITS.fileName),
  contentType: z
    .string()
    .min(1)
    .max(255)
    .describe(`One of ${Object.keys(ATTACHMENT_TYPES).join(', ')}.`),
  size: z
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .describe(`Bytes; at most ${LIMITS.attachmentBytes} (10 MiB).`),
  checksumSha256: z
    .string()
    .length(44)
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'Give the SHA-256 of the file, base64-encoded (44 characters).')
    .optional()
    .describe(
      'The SHA-256 of the file, base64-encoded. When given, the upload URL signs it: send it as the `x-amz-checksum-sha256` header, and the bucket takes only bytes with this digest.',
    ),
});

export const UploadResponse = z.object({
  id: z.string(),
  uploadUrl: z
    .string()
    .describe(
      'A presigned PUT: send the bytes with exactly the declared Content-Type and size (and `x-amz-checksum-sha256` when a checksum was given).',
    ),
  expiresAt: Timestamp,
});

export const AttachmentResponse = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.enum(Object.keys(ATTACHMENT_TYPES) as [string, ...string[]]),
  size: z.number().int(),
  uploaded: z.boolean(),
  scan: z.enum(SCAN_STATUSES).describe('Downloads are refused (409) until the malware scan says clean.'),
  createdAt: Timestamp,
});

export const AttachmentList = z.object({ items: z.array(AttachmentResponse) });

export const DownloadResponse = z.object({
  downloadUrl: z.string().describe('A presigned GET answering the file as a download.'),
  expiresAt: Timestamp,
});

export const attachmentResponse = (attachment: Attachment): z.infer<typeof AttachmentResponse> => ({
  id: attachment.id,
  fileName: attachment.fileName,
  contentType: attachment.contentType,
  size: attachment.size,
  uploaded: attachment.uploaded,
  scan: attachment.scan,
  createdAt: attachment.createdAt,
});
