/**
 * A TCP proxy in front of a local service that a test can make hang: every connection whose
 * request matches `hangWhen` stops forwarding (that request and anything after it) until
 * `release()`, which then delivers what it held, so a write the client gave up on still lands late,
 * as it can in AWS.
 */
import { connect, createServer, type Socket } from 'node:net';

export type HangProxy = {
  endpoint: string;
  /** Hold requests whose bytes contain this text (e.g. an `X-Amz-Target`), or every request. */
  hang: (match?: string) => void;
  /** Delivers everything held and forwards freely again; resolves once it is written upstream. */
  release: () => Promise<void>;
  /** How many requests are being held. */
  held: () => number;
  close: () => Promise<void>;
};

export const startHangProxy = async (target: string): Promise<HangProxy> => {
  const { hostname, port } = new URL(target);
  let match: string | undefined | null = null;
  const sockets = new Set<Socket>();
  type Connection = { upstream: Socket; queue: Buffer[]; holding: boolean };
  const heldConnections = new Set<Connection>();

  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const connection: Connection = { upstream, queue: [], holding: false };
    client.on('data', (chunk: Buffer) => {
      if (!connection.holding && match !== null && (match === undefined || chunk.includes(match))) {
        connection.holding = true;
        heldConnections.add(connection);
      }
      if (connection.holding) connection.queue.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!client.destroyed) client.write(chunk);
    });
    // The client giving up never cancels what is held: the service still gets it on release.
    client.on('close', () => {
      if (!connection.holding) upstream.end();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The proxy did not bind');

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    hang: (text) => {
      match = text;
    },
    release: async () => {
      match = null;
      const connections = [...heldConnections];
      heldConnections.clear();
      await Promise.all(
        connections.map((connection) => {
          connection.holding = false;
          return new Promise<void>((resolve) =>
            connection.upstream.write(Buffer.concat(connection.queue.splice(0)), () => resolve()),
          );
        }),
      );
    },
    held: () => heldConnections.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
