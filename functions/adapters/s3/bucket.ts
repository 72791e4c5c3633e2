/**
 * The attachments bucket's rules that both the CDK data stack and the local S3 emulator apply, so
 * a browser upload that works locally works in the cloud.
 */

/**
 * The console uploads with the presigned PUT (Content-Type is signed, so the browser sends it) and
 * downloads with the presigned GET, from its own origin only.
 */
export const ATTACHMENT_CORS = {
  allowedMethods: ['PUT', 'GET', 'HEAD'] as const,
  allowedHeaders: ['content-type', 'x-amz-checksum-sha256'],
  exposedHeaders: ['etag'],
  maxAgeSeconds: 3000,
};

/** The CORS rule as S3's XML (the emulator takes it as the bucket's configuration). */
export const corsXml = (origin: string): string =>
  [
    '<CORSConfiguration><CORSRule>',
    `<AllowedOrigin>${origin}</AllowedOrigin>`,
    ...ATTACHMENT_CORS.allowedMethods.map((method) => `<AllowedMethod>${method}</AllowedMethod>`),
    ...ATTACHMENT_CORS.allowedHeaders.map((header) => `<AllowedHeader>${header}</AllowedHeader>`),
    ...ATTACHMENT_CORS.exposedHeaders.map((header) => `<ExposeHeader>${header}</ExposeHeader>`),
    `<MaxAgeSeconds>${ATTACHMENT_CORS.maxAgeSeconds}</MaxAgeSeconds>`,
    '</CORSRule></CORSConfiguration>',
  ].join('');

/**
 * Files of a deal that is deleted (an org offboarded by an operator) are tagged with this, and a
 * lifecycle rule expires tagged objects; deleted and replaced versions expire after NONCURRENT_DAYS.
 */
export const DELETED_TAG = { key: 'co-sell-deleted', value: 'true' } as const;
export const DELETED_EXPIRY_DAYS = 1;
export const NONCURRENT_DAYS = 30;
/** Multipart uploads nobody completed (the API issues single PUTs, but the bucket takes any). */
export const INCOMPLETE_UPLOAD_DAYS = 1;
