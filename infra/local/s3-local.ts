/**
 * Runs the S3 emulator (npm `s3rver`) inside this process, with the attachments bucket and its CORS
 * rule. Presigned URLs the functions issue point here. Locally the rule allows any origin: the
 * console is opened at localhost, 127.0.0.1 or the machine's name alike, on whatever port, and
 * nothing but this machine's own files is behind it. The cloud bucket allows the console's origin
 * only (infra/constructs).
 *
 * s3rver 3.7 accepts any SigV4 signature (it checks presigned URLs' expiry, not their signature), so
 * locally a PUT with another Content-Type or size than the URL signs is stored; S3 refuses it
 * (SignatureDoesNotMatch). test/integration/attachments checks the URLs sign both headers.
 */
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { corsXml } from '#functions/adapters/s3/bucket.ts';

export type S3Local = { endpoint: string; port: number; stop: () => Promise<void> };

export const startS3Local = async (options: {
  port: number;
  directory: string;
  bucket: string;
}): Promise<S3Local> => {
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket, configs: [corsXml('*')] }],
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    stop: () => server.close(),
  };
};
