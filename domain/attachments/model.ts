/** Records of the attachments context: files an org uploads to its deals. */

/**
 * The file types an attachment may have, by the media type the client declares (and the presigned
 * upload signs), with the extension people know them by.
 */
export const ATTACHMENT_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/csv': 'csv',
  'text/plain': 'txt',
} as const;
export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;

/**
 * What the malware scan said of a file: `pending` until a scanner reported (or while none has looked),
 * `clean`, or `infected`. Only a clean file is handed out.
 */
export const SCAN_STATUSES = ['pending', 'clean', 'infected'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** A file an org uploads to one of its deals (a contract, a purchase order), stored in the bucket. */
export type Attachment = {
  id: string;
  orgId: string;
  dealId: string;
  fileName: string;
  contentType: AttachmentContentType;
  size: number;
  /** True once the object was seen in the bucket. */
  uploaded: boolean;
  scan: ScanStatus;
  createdBy: string;
  createdAt: string;
};

/**
 * The copy of a file made when a registration named it: no upload URL reaches it, so the host reads
 * the bytes that were submitted whatever is later written to the upload's own object. `fingerprint`
 * identifies those bytes (the bucket's entity tag of the copy).
 */
export type FrozenCopy = { id: string; fingerprint: string };

/**
 * How a registration names an attachment: the host sees the file's name beside its id, and reads
 * the frozen copy (absent on registrations submitted before copies were made: those read the
 * upload's object).
 */
export type AttachmentRef = { id: string; fileName: string; copy?: FrozenCopy };
