import type { Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';

/** Asks the OS for a free loopback port (tests run every component on its own free port). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/**
 * Starts `server` on loopback (`port`, or a free one) and answers its URL and a stop that also
 * ends kept-alive connections, so a stopped stand-in never holds a test run open.
 */
export const serveOnLoopback = async (
  server: HttpServer,
  port = 0,
): Promise<{ endpoint: string; stop: () => Promise<void> }> => {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
};
