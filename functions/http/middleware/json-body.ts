import type { MiddlewareObj } from '@middy/core';
import { header } from '../headers.ts';
import { HttpError } from '../http-error.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

export const MAX_BODY_BYTES = 64 * 1024;
/**
 * How deeply a body may nest objects and arrays: far more than any body of the API needs (a handful
 * of levels). Everything after parsing (schemas, fingerprints, logs) may recurse, so nothing deeper
 * gets past this stage.
 */
export const MAX_BODY_DEPTH = 32;

/** The 400 for JSON nested deeper than `MAX_BODY_DEPTH`, wherever a walk finds it. */
export const bodyTooDeep = (): HttpError =>
  new HttpError(
    400,
    'body-too-deep',
    `The body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep; no request of this API needs that many.`,
  );

/** Whether `value` nests objects and arrays more than `limit` levels deep, walked without recursion. */
export const nestsDeeperThan = (value: unknown, limit: number): boolean => {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [inner, depth] = next;
    if (inner === null || typeof inner !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(inner)) pending.push([child, depth + 1]);
  }
  return false;
};

const isJson = (contentType: string | undefined): boolean => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return (
    mediaType === 'application/json' ||
    (mediaType?.startsWith('application/') && mediaType.endsWith('+json')) === true
  );
};

/**
 * Enforces the body limits of docs/api.md (413 over 64 KiB, 415 for anything but JSON, 400 for broken
 * JSON or JSON nested deeper than `MAX_BODY_DEPTH`) and leaves the parsed value on the context. An
 * empty body parses as `{}`.
 */
export const jsonBody = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: ({ event, context }) => {
    const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : undefined;
    if (!raw || raw.length === 0) {
      context.rawBody = {};
      return;
    }
    if (raw.length > MAX_BODY_BYTES) {
      throw new HttpError(413, 'body-too-large', `The body is over the limit of ${MAX_BODY_BYTES} bytes.`);
    }
    if (!isJson(header(event, 'content-type'))) {
      throw new HttpError(415, 'unsupported-media-type', 'Send the body as application/json.');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'malformed-json', 'The body is not valid JSON.');
    }
    if (nestsDeeperThan(parsed, MAX_BODY_DEPTH)) throw bodyTooDeep();
    context.rawBody = parsed;
  },
});
