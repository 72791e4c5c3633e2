/**
 * Builds the web console into web/dist with Vite: once (the browser tests' setup, `npm run build:web`)
 * or in watch mode (`npm start`: a change under web/ is rebuilt and the next page load serves it).
 */
import { join } from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from './gateway.ts';

const CONFIG = join(REPO_ROOT, 'web', 'vite.config.ts');

/**
 * Vite picks React's development build and JSX runtime when NODE_ENV is set to anything but
 * `production` (vitest sets `test`), so the build runs with NODE_ENV=production and restores it.
 */
const asProduction = async <T>(run: () => Promise<T>): Promise<T> => {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
};

export const buildConsole = async (): Promise<void> => {
  await asProduction(() => build({ configFile: CONFIG, logLevel: 'warn' }));
};

/** Builds now and again on every change; resolves after the first build. Returns a stopper. */
export const watchConsole = async (log: (line: string) => void): Promise<() => Promise<void>> => {
  const watcher = await asProduction(() =>
    build({ configFile: CONFIG, logLevel: 'warn', build: { watch: {} } }),
  );
  if (!('on' in watcher)) throw new Error('Vite did not start a watcher.');
  await new Promise<void>((resolveFirst, reject) => {
    let first = true;
    watcher.on('event', (event) => {
      if (event.code === 'END') {
        if (first) resolveFirst();
        else log('Rebuilt the web console.');
        first = false;
      } else if (event.code === 'ERROR') {
        const message = `Web console build failed: ${event.error.message}`;
        if (first) reject(new Error(message));
        else log(`✗ ${message}`);
        first = false;
      }
      if (event.code === 'BUNDLE_END' || event.code === 'ERROR') void event.result?.close();
    });
  });
  return () => watcher.close();
};
