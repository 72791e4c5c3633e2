/**
 * Opaque, tamper-evident cursors: the page key plus the query it belongs to, signed with HMAC-SHA256.
 * A cursor replayed against another query, another user, or edited by hand is a 400. New cursors
 * are signed with the current key; one signed with the previous key still verifies, so rotating the
 * secret breaks no page a client is walking through.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PageKey } from '#domain/kernel/page.ts';
import type { CursorKeys } from '../config.ts';
import { HttpError } from './http-error.ts';

type CursorPayload = { k: PageKey; b: string };

const sign = (secret: string, data: string): string =>
  createHmac('sha256', secret).update(data).digest('base64url');

export const encodeCursor = ({ current: secret }: CursorKeys, key: PageKey, binding: string): string => {
  const data = Buffer.from(JSON.stringify({ k: key, b: binding } satisfies CursorPayload)).toString(
    'base64url',
  );
  return `${data}.${sign(secret, data)}`;
};

const invalidCursor = () => new HttpError(400, 'invalid-cursor', 'The cursor is not valid for this query.');

const signedWith = (secret: string, data: string, signature: string): boolean => {
  const expected = Buffer.from(sign(secret, data));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

export const decodeCursor = (keys: CursorKeys, cursor: string, binding: string): PageKey => {
  const [data, signature, ...rest] = cursor.split('.');
  if (!data || !signature || rest.length > 0) throw invalidCursor();
  const signed =
    signedWith(keys.current, data, signature) ||
    (keys.previous !== undefined && signedWith(keys.previous, data, signature));
  if (!signed) throw invalidCursor();
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw invalidCursor();
  }
  if (payload.b !== binding || typeof payload.k !== 'object' || payload.k === null) throw invalidCursor();
  return payload.k;
};
