/** Ports of the attachments context: the records (metadata) and the bucket holding the bytes. */
import type { Quota } from '../kernel/limits.ts';
import type { Attachment, AttachmentContentType, ScanStatus } from './model.ts';

/** The attachments' records (metadata); the bytes are in the FileStore. */
export interface AttachmentStore {
  /**
   * Adds a record on condition that its deal then holds no more than `quota` allows (a condition of
   * the write itself): `limit-reached` when it would, `conflict` when a concurrent write held the
   * deal's count (nothing was written).
   */
  create(attachment: Attachment, quota: Quota): Promise<'written' | 'limit-reached' | 'conflict'>;
  get(dealId: string, attachmentId: string): Promise<Attachment | undefined>;
  /** The deal's attachments, oldest first (at most ATTACHMENT_QUOTA's limit are ever created). */
  listByDeal(dealId: string): Promise<Attachment[]>;
  /** Records what the bucket said of the file (uploaded, scan status). */
  update(attachment: Attachment): Promise<void>;
}

/** Where an attachment's bytes live: one object per attachment, named by org, deal and attachment. */
export type FileRef = Pick<Attachment, 'orgId' | 'dealId' | 'id'>;

/** What the bucket knows of a file: absent, or there with its malware scan status. */
export type FileState = { exists: false } | { exists: true; scan: ScanStatus };

export interface FileStore {
  /** A URL that accepts exactly one `PUT` of this content type and size until `expiresAt`. */
  uploadUrl(
    file: FileRef,
    upload: { contentType: AttachmentContentType; size: number; expiresInSeconds: number },
  ): Promise<string>;
  /** A URL that answers one `GET` of the file as a download named `fileName` until it expires. */
  downloadUrl(file: FileRef, download: { fileName: string; expiresInSeconds: number }): Promise<string>;
  inspect(file: FileRef): Promise<FileState>;
}
