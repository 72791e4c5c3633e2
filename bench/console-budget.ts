/**
 * Benchmark 6: the console's JavaScript budget. What a first visit downloads before it can render
 * (the entry chunk and the chunks it imports statically, per Vite's manifest), gzipped, against
 * 200 KB. A size, not a behaviour: reported here with the other budgets rather than asserted by
 * `npm test`, where it could only fail on a dependency bump, never on a behaviour change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildConsole } from '#infra/local/console-build.ts';
import { CONSOLE_DIST } from '#infra/local/runtime.ts';

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;

export const CONSOLE_BUDGET_BYTES = 200 * 1024;

export type ConsoleBudgetResult = {
  /** The initial chunks, entry first. */
  files: { file: string; gzipBytes: number }[];
  gzipBytes: number;
};

/** Builds the console from the sources (as `npm start` serves it) and sums its initial JavaScript. */
export const benchConsoleBudget = async (): Promise<ConsoleBudgetResult> => {
  await buildConsole();
  const manifest = JSON.parse(readFileSync(join(CONSOLE_DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const initial = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  if (initial.size === 0) throw new Error(`No entry chunk in ${CONSOLE_DIST}/.vite/manifest.json`);
  const files = [...initial]
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, gzipBytes: gzipSync(readFileSync(join(CONSOLE_DIST, file))).length }));
  return { files, gzipBytes: files.reduce((sum, { gzipBytes }) => sum + gzipBytes, 0) };
};
