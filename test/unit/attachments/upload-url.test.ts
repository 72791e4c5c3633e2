/**
 * What an upload URL can write (the S3 adapter): the type and size always, the bytes' SHA-256 when
 * the client gave it (a header S3 checks the body against), and never a registration's frozen copy,
 * whose key no upload URL names.
 */
import { describe, expect, it } from 'vitest';
import { objectKey, S3FileStore } from '#functions/adapters/s3/file-store.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
const store = new S3FileStore({ bucket: 'attachments', region: 'eu-west-1', scan: 'none' });
const file = { orgId: 'org-1', dealId: 'deal-1', id: 'file-1' };
const signed = (url: string) => new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';');

describe('the upload URL', () => {
  it('signs the type and size; given a checksum, also the checksum header, kept out of the query', async () => {
    const plain = await store.uploadUrl(file, {
      contentType: 'application/pdf',
      size: 10,
      expiresInSeconds: 900,
    });
    expect(signed(plain)).toEqual(['content-length', 'content-type', 'host']);
    const checksumSha256 = Buffer.alloc(32, 7).toString('base64');
    const pinned = await store.uploadUrl(file, {
      contentType: 'application/pdf',
      size: 10,
      checksumSha256,
      expiresInSeconds: 900,
    });
    expect(signed(pinned)).toEqual(['content-length', 'content-type', 'host', 'x-amz-checksum-sha256']);
    expect(new URL(pinned).searchParams.has('x-amz-checksum-sha256')).toBe(false);
  });

  it('names the upload’s own key, never a frozen copy’s', async () => {
    const url = new URL(
      await store.uploadUrl(file, { contentType: 'application/pdf', size: 10, expiresInSeconds: 900 }),
    );
    expect(decodeURIComponent(url.pathname)).toMatch(/\/orgs\/org-1\/deals\/deal-1\/attachments\/file-1$/);
    expect(objectKey({ ...file, copy: 'c1' })).toBe(
      'orgs/org-1/deals/deal-1/attachments/file-1/submitted/c1',
    );
  });
});
