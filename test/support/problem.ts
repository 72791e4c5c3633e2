/**
 * The one assertion of an RFC 9457 answer, for handler (integration) and HTTP (e2e) responses alike:
 * the status, the problem media type, every member set, the code (when given) in `code` and `type`,
 * and `instance` naming the request: the id API Gateway (or the local gateway) answered with, or the
 * request id `invoke` gave the event.
 */
import { expect } from 'vitest';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '#functions/http/problem.ts';

export type ProblemResponse = {
  status: number;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of every shape
  body: any;
  /** The request id of an invoked handler's event (handler tests have no gateway header). */
  requestId?: string;
};

export const expectProblem = (response: ProblemResponse, status: number, code?: string): void => {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  expect(response.body).toMatchObject({
    status,
    type: code ? `${PROBLEM_TYPE_BASE}${code}` : expect.stringContaining(PROBLEM_TYPE_BASE),
    title: expect.any(String),
    detail: expect.any(String),
    instance: response.headers['apigw-requestid'] ?? response.requestId,
    ...(code ? { code } : {}),
  });
};
