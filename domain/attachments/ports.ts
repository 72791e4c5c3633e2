/** Ports of the attachments context: the records (metadata) and the bucket holding the bytes. */
import type { Quota } from '../kernel/limits.ts';
import type { Attachment, AttachmentContentType, FrozenCopy, ScanStatus } from './model.ts';

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

/**
 * Where an attachment's bytes live: the upload's object, named by org, deal and attachment, or with
 * `copy` the frozen copy a registration made of it (FrozenCopy).
 */
export type FileRef = Pick<Attachment, 'orgId' | 'dealId' | 'id'> & { copy?: string };

/**
 * What the bucket knows of a file: absent, or there with its malware scan status and the fingerprint
 * of its bytes (the entity tag: another write gives another).
 */
export type FileState = { exists: false } | { exists: true; scan: ScanStatus; fingerprint: string };

export interface FileStore {
  /**
   * A URL that accepts a `PUT` of this content type and size until `expiresAt` (and, given a
   * checksum, only of bytes with that SHA-256).
   */
  uploadUrl(
    file: FileRef,
    upload: {
      contentType: AttachmentContentType;
      size: number;
      checksumSha256?: string;
      expiresInSeconds: number;
    },
  ): Promise<string>;
  /** A URL that answers one `GET` of the file as a download named `fileName` until it expires. */
  downloadUrl(file: FileRef, download: { fileName: string; expiresInSeconds: number }): Promise<string>;
  inspect(file: FileRef): Promise<FileState>;
  /**
   * Copies the upload's object to the copy `copyId` of it, which no upload URL can reach, and answers
   * the copy's fingerprint; a copy of its own is scanned on its own.
   */
  freeze(file: FileRef, copyId: string): Promise<FrozenCopy>;
}
