/**
 * Runs the SES v2 emulator (npm `aws-ses-v2-local`) inside this process. The notification adapter
 * sends to it with the real SDK; a person reads the captured emails in its inbox page, tests read
 * them as JSON from `GET /store`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SesLocal = {
  /** Point `@aws-sdk/client-sesv2` here (any region, dummy credentials). */
  endpoint: string;
  /** The emulator's inbox web page. */
  inboxUrl: string;
  /** `GET` it for `{ templates, emails }` as JSON. */
  storeUrl: string;
  port: number;
  stop: () => Promise<void>;
};

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

/** Starts the emulator on 127.0.0.1 at `port` (0 picks a free one). */
export const startSesLocal = async (options: { port: number }): Promise<SesLocal> => {
  // A CommonJS module with an `exports.default`: under ESM its default export is the whole module object.
  const mod = (await import('aws-ses-v2-local')) as unknown as {
    default: StartServer | { default: StartServer };
  };
  const start: StartServer = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ host: '127.0.0.1', port: options.port });
  // The emulator resolves even when listen failed (it passes the error to a callback it ignores).
  if (!server.listening) {
    server.close();
    throw new Error(`The SES emulator could not listen on port ${options.port} (is it in use?)`);
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    storeUrl: `${endpoint}/store`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
