/**
 * Attachment bytes in the private bucket: presigned URLs (the API never carries the bytes) and what
 * the bucket knows of an object. This module owns the object key format.
 */
import {
  CopyObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as createContentDisposition } from 'content-disposition';
import type { FrozenCopy, ScanStatus } from '#domain/attachments/model.ts';
import type { FileRef, FileState, FileStore } from '#domain/attachments/ports.ts';
import type { BucketConfig } from '../../config.ts';
import { boundByDeadline, transport } from '../time-budget.ts';

/**
 * One object per attachment, named by org, deal and attachment: an org's or a deal's files are one
 * prefix (what an operator deletes when an org leaves, and what lifecycle rules can name). The
 * copies registrations make live beside it under `submitted/`, a key no upload URL is signed for
 * (upload URLs name the upload's own key only).
 */
export const objectKey = (file: FileRef): string => {
  const upload = `orgs/${file.orgId}/deals/${file.dealId}/attachments/${file.id}`;
  return file.copy ? `${upload}/submitted/${file.copy}` : upload;
};

/** An entity tag without its quotes (S3 answers `"…"`; the emulator sometimes not). */
const bareEtag = (etag: string | undefined): string => (etag ?? '').replaceAll('"', '');

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
    // HEAD, tag and copy calls answer in well under a second; two attempts of 3 s fit the HTTP
    // functions' 10 s, and the invocation's deadline bounds them (time-budget.ts).
    this.s3 = boundByDeadline(
      new S3Client({
        region: config.region,
        ...transport({ requestTimeoutMs: 3_000, maxAttempts: 2 }),
        ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
        // By default the SDK adds a CRC32 of the (empty) body to presigned PUTs, which S3 then holds
        // the real upload to; checksums only where an operation requires them.
        requestChecksumCalculation: 'WHEN_REQUIRED',
      }),
    );
  }

  uploadUrl(
    file: FileRef,
    upload: { contentType: string; size: number; checksumSha256?: string; expiresInSeconds: number },
  ): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.config.bucket,
      Key: objectKey(file),
      ContentType: upload.contentType,
      ContentLength: upload.size,
      ...(upload.checksumSha256 ? { ChecksumSHA256: upload.checksumSha256 } : {}),
    });
    // Signing the headers makes S3 refuse a PUT of another type or size (SignatureDoesNotMatch), and
    // with the checksum signed (kept a header, not hoisted to the query) any other bytes
    // (BadDigest): the payload itself stays UNSIGNED-PAYLOAD, which is all a presigned URL allows.
    const checksum = upload.checksumSha256 ? ['x-amz-checksum-sha256'] : [];
    return getSignedUrl(this.s3, command, {
      expiresIn: upload.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length', ...checksum]),
      unhoistableHeaders: new Set(checksum),
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
    let fingerprint: string;
    try {
      fingerprint = bareEtag((await this.s3.send(new HeadObjectCommand(target))).ETag);
    } catch (error) {
      if (isMissing(error)) return { exists: false };
      throw error;
    }
    if (this.config.scan === 'none') return { exists: true, scan: 'clean', fingerprint };
    const { TagSet } = await this.s3.send(new GetObjectTaggingCommand(target));
    return {
      exists: true,
      scan: scanFromTag(TagSet?.find((tag) => tag.Key === SCAN_TAG)?.Value),
      fingerprint,
    };
  }

  async freeze(file: FileRef, copyId: string): Promise<FrozenCopy> {
    const source = objectKey({ ...file, copy: undefined });
    const { CopyObjectResult } = await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.config.bucket,
        Key: objectKey({ ...file, copy: copyId }),
        CopySource: `${this.config.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
        // The scanner's verdict on the upload is not the copy's: the copy is scanned on its own.
        TaggingDirective: 'REPLACE',
        Tagging: '',
      }),
    );
    return { id: copyId, fingerprint: bareEtag(CopyObjectResult?.ETag) };
  }
}
