/**
 * A minimal EventBridge emulator: answers `PutEvents` (the only call the app makes) like the
 * service and appends each entry as one JSON line, the bus entry's shape
 * (`{ source, detailType, time, detail, eventBusName }`), to a file a person can tail and tests read.
 * The consumer thus runs locally with the `EVENT_BUS_NAME` the cloud gives it and the real SDK
 * client, pointed here by `EVENTBRIDGE_ENDPOINT`.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { serveOnLoopback } from './ports.ts';

export type EventBridgeLocal = { endpoint: string; eventsFile: string; stop: () => Promise<void> };

type PutEventsEntry = {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  /** AWS JSON 1.1 sends timestamps as epoch seconds. */
  Time?: number;
  Detail?: string;
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

export const startEventBridgeLocal = async (options: {
  port?: number;
  eventsFile: string;
}): Promise<EventBridgeLocal> => {
  await mkdir(dirname(options.eventsFile), { recursive: true });
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
      answer(400, { __type: 'UnknownOperationException', message: `Not emulated: ${String(target)}` });
      return;
    }
    readJson(req)
      .then(async (body) => {
        const entries = (body as { Entries?: PutEventsEntry[] }).Entries ?? [];
        const lines = entries.map((entry) =>
          JSON.stringify({
            source: entry.Source,
            detailType: entry.DetailType,
            time: new Date((entry.Time ?? Date.now() / 1000) * 1000).toISOString(),
            detail: JSON.parse(entry.Detail ?? '{}'),
            eventBusName: entry.EventBusName,
          }),
        );
        await appendFile(options.eventsFile, lines.map((line) => `${line}\n`).join(''), 'utf8');
        answer(200, { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) });
      })
      .catch((error: unknown) =>
        answer(400, { __type: 'ValidationException', message: (error as Error).message }),
      );
  });
  const { endpoint, stop } = await serveOnLoopback(server, options.port);
  return { endpoint, eventsFile: options.eventsFile, stop };
};
