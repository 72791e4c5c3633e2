import type { MiddlewareObj } from '@middy/core';
import { header } from '../headers.ts';
import { HttpError } from '../http-error.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

export const MAX_BODY_BYTES = 64 * 1024;

const isJson = (contentType: string | undefined): boolean => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return (
    mediaType === 'application/json' ||
    (mediaType?.startsWith('application/') && mediaType.endsWith('+json')) === true
  );
};

/**
 * Enforces the body limits of docs/api.md (413 over 64 KiB, 415 for anything but JSON, 400 for broken
 * JSON) and leaves the parsed value on the context. An empty body parses as `{}`.
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
    try {
      context.rawBody = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'malformed-json', 'The body is not valid JSON.');
    }
  },
});
