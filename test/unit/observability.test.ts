import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '#domain/kernel/actor.ts';
import { answerEarly } from '#functions/http/middleware/early-response.ts';
import { REPLAYED_HEADER } from '#functions/http/middleware/idempotency.ts';
import { logWithOrg, requestObservability } from '#functions/http/middleware/observability.ts';
import { problemDetails } from '#functions/http/middleware/problem-details.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '#functions/http/route-context.ts';
import {
  instrumentDynamo,
  logger,
  metricsEnabled,
  recordEmail,
  recordEvent,
  recordExpiries,
  takeDynamoStats,
} from '#functions/observability.ts';
import { apiEvent } from '#test/support/http.ts';

const actor: Actor = {
  sub: 'user-sub-123',
  email: 'jane.doe@partner.example',
  name: 'Jane Doe',
  orgId: 'org-42',
  orgName: 'Fabrikam',
  orgKind: 'partner',
  capabilities: [],
  roles: ['referrals-admin'],
  locations: ['DE'],
} as unknown as Actor;

const context = { awsRequestId: 'aws-1', functionName: 'DealsCreate' } as unknown as Context;

/** Everything written to stdout while `run` runs, as parsed JSON lines. */
const capture = async (run: () => Promise<unknown>): Promise<Record<string, unknown>[]> => {
  const lines: string[] = [];
  const write = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  // Powertools writes info and metrics to stdout, warnings and errors to stderr.
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(write),
    vi.spyOn(process.stderr, 'write').mockImplementation(write),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

const route = (result: () => Promise<HttpResponse>) =>
  middy<HttpEvent, HttpResponse, Error, RouteContext>()
    .use(requestObservability())
    .use(problemDetails())
    .handler(async (_event, ctx) => {
      ctx.actor = actor;
      logWithOrg(actor);
      logger.warn('inside the handler');
      return result();
    });

const metricLines = (lines: Record<string, unknown>[]) => lines.filter((line) => '_aws' in line);

describe('observability', () => {
  beforeEach(() => {
    logger.setLogLevel('INFO');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'CoSell');
  });
  afterEach(() => {
    logger.setLogLevel('WARN');
    vi.unstubAllEnvs();
  });

  it('tags every log line of a request with its request id, route and org, and logs no personal data', async () => {
    const handler = route(async () => ({ statusCode: 201, body: '{}' }));
    const event = apiEvent({ route: 'POST /v1/deals', sub: actor.sub, body: { notes: 'secret notes' } });
    const lines = await capture(() => handler(event, context));
    const logs = lines.filter((line) => !('_aws' in line));
    const inside = logs.find((line) => line.message === 'inside the handler');
    expect(inside).toMatchObject({
      requestId: event.requestContext.requestId,
      route: 'POST /v1/deals',
      orgId: 'org-42',
      service: 'co-sell-referrals',
    });
    const summary = logs.find((line) => line.message === 'request completed');
    expect(summary).toMatchObject({ status: 201, orgId: 'org-42', dynamodb: { calls: 0 } });
    const text = JSON.stringify(lines);
    for (const personal of [actor.sub, actor.email, actor.name, 'secret notes'])
      expect(text).not.toContain(personal);
  });

  it('counts a created deal as a business metric in the CoSell namespace', async () => {
    const handler = route(async () => ({ statusCode: 201, body: '{}' }));
    const lines = await capture(() =>
      handler(apiEvent({ route: 'POST /v1/deals', sub: actor.sub }), context),
    );
    const [metric] = metricLines(lines);
    expect(metric).toMatchObject({ DealsCreated: 1, service: 'co-sell-referrals' });
    expect(JSON.stringify(metric)).toContain('"Namespace":"CoSell"');
  });

  it("writes to the stage's namespace when the stack sets POWERTOOLS_METRICS_NAMESPACE (read at cold start)", async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'CoSell/prod');
    vi.resetModules();
    const fresh = await import('#functions/observability.ts');
    const lines = await capture(async () => fresh.recordExpiries(2));
    const [metric] = metricLines(lines);
    expect(metric).toMatchObject({ InvitationsExpired: 2 });
    expect(JSON.stringify(metric)).toContain('"Namespace":"CoSell/prod"');
  });

  it('refuses to write a metric without POWERTOOLS_METRICS_NAMESPACE rather than into a default namespace', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', undefined);
    vi.resetModules();
    const fresh = await import('#functions/observability.ts');
    expect(() => fresh.recordExpiries(1)).toThrow(
      'Missing environment variable POWERTOOLS_METRICS_NAMESPACE',
    );
  });

  it('counts accepted and declined invitations under one metric with the answer as dimension', async () => {
    const handler = route(async () => ({ statusCode: 200, body: '{}' }));
    const lines = await capture(async () => {
      await handler(
        apiEvent({ route: 'POST /v1/deals/{id}/accept', params: { id: 'd1' }, sub: 's' }),
        context,
      );
      await handler(
        apiEvent({ route: 'POST /v1/deals/{id}/decline', params: { id: 'd1' }, sub: 's' }),
        context,
      );
    });
    expect(metricLines(lines).map((line) => [line.InvitationsAnswered, line.answer])).toEqual([
      [1, 'accepted'],
      [1, 'declined'],
    ]);
  });

  it('logs an early response (an idempotent replay) and does not count its business fact again', async () => {
    const replayed = { statusCode: 201, headers: { [REPLAYED_HEADER]: 'true' }, body: '{}' };
    const handler = middy<HttpEvent, HttpResponse, Error, RouteContext>()
      .use(requestObservability())
      .use({ before: (request) => answerEarly(request, replayed) })
      .handler(async () => {
        throw new Error('the route must not run');
      });
    const lines = await capture(() =>
      handler(apiEvent({ route: 'POST /v1/deals', sub: actor.sub }), context),
    );
    expect(metricLines(lines)).toEqual([]);
    expect(lines.find((line) => line.message === 'request completed')).toMatchObject({ status: 201 });
  });

  it('counts nothing for a failed request, and logs its problem status', async () => {
    const handler = route(async () => {
      throw new Error('boom');
    });
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const lines = await capture(() =>
      handler(apiEvent({ route: 'POST /v1/deals', sub: actor.sub }), context),
    );
    expect(metricLines(lines)).toEqual([]);
    expect(lines.find((line) => line.message === 'request completed')).toMatchObject({ status: 500 });
    vi.mocked(logger.error).mockRestore();
  });

  it('offers event, email and expiry counters for the background functions', async () => {
    const lines = await capture(async () => {
      recordEvent('invitation.expired');
      recordEmail('sent');
      recordEmail('failed');
      recordExpiries(3);
      recordExpiries(0);
    });
    expect(metricLines(lines).map(({ _aws, service, ...rest }) => rest)).toEqual([
      { eventType: 'invitation.expired', DomainEvents: 1 },
      { EmailsSent: 1 },
      { EmailsFailed: 1 },
      { InvitationsExpired: 3 },
    ]);
  });

  it('writes no metrics outside Lambda unless asked to', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', '');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    expect(metricsEnabled()).toBe(false);
    expect(metricLines(await capture(async () => recordEmail('sent')))).toEqual([]);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'fn');
    expect(metricsEnabled()).toBe(true);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(metricsEnabled()).toBe(false);
  });
});

describe('instrumentDynamo', () => {
  /** A client whose calls never leave the process: the build step answers with a canned output. */
  const fakeClient = (outputs: Record<string, object>) => {
    const seen: Record<string, unknown>[] = [];
    const client = instrumentDynamo(
      new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
    client.middlewareStack.add(
      (_next, ctx) => async (args) => {
        seen.push(args.input as Record<string, unknown>);
        return { output: { $metadata: {}, ...outputs[ctx.commandName as string] }, response: {} };
      },
      { step: 'build', name: 'cannedOutput' },
    );
    return { client, seen };
  };

  it('counts calls, asks for consumed capacity and sums it until the next take', async () => {
    const { client, seen } = fakeClient({
      GetItemCommand: { ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } },
      TransactWriteItemsCommand: {
        ConsumedCapacity: [{ TableName: 't', CapacityUnits: 6, WriteCapacityUnits: 6 }],
      },
    });
    takeDynamoStats();
    await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [] }));
    const stats = takeDynamoStats();
    expect(stats).toMatchObject({
      calls: ['GetItemCommand', 'TransactWriteItemsCommand'],
      readUnits: 0.5,
      writeUnits: 6,
    });
    expect(seen.every((input) => input.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(takeDynamoStats().calls).toEqual([]);
  });
});
