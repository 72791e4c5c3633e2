/**
 * Attachment bytes in the private bucket: presigned URLs (the API never carries the bytes) and what
 * the bucket knows of an object. This module owns the object key format.
 */
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as createContentDisposition } from 'content-disposition';
import type { ScanStatus } from '#domain/attachments/model.ts';
import type { FileRef, FileState, FileStore } from '#domain/attachments/ports.ts';
import type { BucketConfig } from '../../config.ts';

/**
 * One object per attachment, named by org, deal and attachment: an org's or a deal's files are one
 * prefix (what an operator deletes when an org leaves, and what lifecycle rules can name).
 */
export const objectKey = (file: FileRef): string =>
  `orgs/${file.orgId}/deals/${file.dealId}/attachments/${file.id}`;

/** The tag GuardDuty Malware Protection for S3 writes on each object it scanned, and its verdicts. */
export const SCAN_TAG = 'GuardDutyMalwareScanStatus';
export const SCAN_CLEAN = 'NO_THREATS_FOUND';
const scanFromTag = (value: string | undefined): ScanStatus =>
  value === SCAN_CLEAN ? 'clean' : value === 'THREATS_FOUND' ? 'infected' : 'pending';

/**
 * RFC 6266 with RFC 8187's `filename*` (percent-encoding every character outside `attr-char`, which
 * `encodeURIComponent` does not: it leaves `' ( ) *`), and a quoted ISO-8859-1 fallback `filename`
 * for clients that ignore `filename*`. The maintained `content-disposition` package owns the grammar.
 */
export const contentDisposition = (fileName: string): string =>
  createContentDisposition(fileName, { type: 'attachment' });

const isMissing = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);

export class S3FileStore implements FileStore {
  private readonly s3: S3Client;

  constructor(private readonly config: BucketConfig) {
    this.s3 = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      // By default the SDK adds a CRC32 of the (empty) body to presigned PUTs, which S3 then holds
      // the real upload to; checksums only where an operation requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  }

  uploadUrl(
    file: FileRef,
    upload: { contentType: string; size: number; expiresInSeconds: number },
  ): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.config.bucket,
      Key: objectKey(file),
      ContentType: upload.contentType,
      ContentLength: upload.size,
    });
    // Signing both headers makes S3 refuse a PUT of another type or size (SignatureDoesNotMatch).
    return getSignedUrl(this.s3, command, {
      expiresIn: upload.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
  }

  downloadUrl(file: FileRef, download: { fileName: string; expiresInSeconds: number }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: objectKey(file),
      ResponseContentDisposition: contentDisposition(download.fileName),
    });
    return getSignedUrl(this.s3, command, { expiresIn: download.expiresInSeconds });
  }

  async inspect(file: FileRef): Promise<FileState> {
    const target = { Bucket: this.config.bucket, Key: objectKey(file) };
    try {
      await this.s3.send(new HeadObjectCommand(target));
    } catch (error) {
      if (isMissing(error)) return { exists: false };
      throw error;
    }
    if (this.config.scan === 'none') return { exists: true, scan: 'clean' };
    const { TagSet } = await this.s3.send(new GetObjectTaggingCommand(target));
    return { exists: true, scan: scanFromTag(TagSet?.find((tag) => tag.Key === SCAN_TAG)?.Value) };
  }
}
