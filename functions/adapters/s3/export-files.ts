/**
 * Export files in the attachments bucket, under EXPORT_PREFIX (where the bucket's lifecycle rule
 * removes them): each written as the rows come, as RFC 4180 CSV (CRLF line ends, quotes where a cell
 * needs them) in UTF-8 with a byte-order mark, which spreadsheets need to read it as UTF-8. The rows
 * stream through a multipart upload, so a large list never sits in memory as one text.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { stringify } from 'csv-stringify';
import type { ExportFileRef, ExportFileStore } from '#domain/deals/ports.ts';
import { EXPORT_PREFIX } from '../../bucket-access.ts';
import type { BucketConfig } from '../../config.ts';
import { transport } from '../time-budget.ts';
import { contentDisposition } from './file-store.ts';

export const exportKey = (file: ExportFileRef): string => `${EXPORT_PREFIX}${file.orgId}/${file.id}.csv`;

/** S3's smallest part: 10,000 deals make about 3 MiB, one part, so memory stays at one part. */
const PART_SIZE = 5 * 1024 * 1024;

export class S3ExportFiles implements ExportFileStore {
  private readonly s3: S3Client;

  constructor(private readonly config: Pick<BucketConfig, 'bucket' | 'region' | 'endpoint'>) {
    this.s3 = new S3Client({
      region: config.region,
      // A part of 5 MiB takes well under 30 s; the export function's own timeout bounds the whole.
      ...transport({ requestTimeoutMs: 30_000, maxAttempts: 3 }),
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  }

  async write(file: ExportFileRef, rows: AsyncIterable<readonly string[]>): Promise<void> {
    const csv = stringify({ bom: true, record_delimiter: 'windows' });
    const upload = new Upload({
      client: this.s3,
      params: {
        Bucket: this.config.bucket,
        Key: exportKey(file),
        Body: csv,
        ContentType: 'text/csv; charset=utf-8',
      },
      partSize: PART_SIZE,
      queueSize: 2,
    });
    const writing = pipeline(Readable.from(rows), csv).catch(async (error: unknown) => {
      await upload.abort().catch(() => undefined);
      throw error;
    });
    const [written, uploaded] = await Promise.allSettled([writing, upload.done()]);
    if (written.status === 'rejected') throw written.reason;
    if (uploaded.status === 'rejected') throw uploaded.reason;
  }

  downloadUrl(
    file: ExportFileRef,
    download: { fileName: string; expiresInSeconds: number },
  ): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: exportKey(file),
      ResponseContentDisposition: contentDisposition(download.fileName),
      ResponseContentType: 'text/csv; charset=utf-8',
    });
    return getSignedUrl(this.s3, command, { expiresIn: download.expiresInSeconds });
  }
}
