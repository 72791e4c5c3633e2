/**
 * A hung SES (it accepts the connection and never answers) holds one send for at most its retry
 * budget, not for the consumer's whole timeout, and fails as a transient error the stream retries.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '#functions/adapters/ses/ses-mailer.ts';
import { isOutcomeUnknown } from '#functions/adapters/time-budget.ts';

let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a hung SES', () => {
  it('ends a send within its two 5 s attempts with an error the stream retries', async () => {
    const mailer = new SesMailer({ from: 'co-sell@host.example', region: 'local', endpoint });
    const started = Date.now();
    const error = await mailer
      .send({ to: 'someone@example.com', subject: 'hello', text: 'hello', html: '<p>hello</p>' })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    const elapsed = Date.now() - started;
    expect(isOutcomeUnknown(error)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(15_000);
    // Both attempts reached the server.
    expect(sockets.size).toBe(2);
  }, 30_000);
});
