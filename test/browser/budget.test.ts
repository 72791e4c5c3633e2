/**
 * The console's JavaScript budget: what a first visit downloads before it can render (the entry
 * chunk and the chunks it imports statically, per Vite's manifest) stays within 200 KB gzipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '#infra/local/runtime.ts';

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;

const BUDGET_BYTES = 200 * 1024;

describe('console bundle budget', () => {
  it('keeps the initial JavaScript within 200 KB gzip', () => {
    const manifest = JSON.parse(
      readFileSync(join(CONSOLE_DIST, '.vite', 'manifest.json'), 'utf8'),
    ) as Manifest;
    const initial = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || initial.has(chunk.file)) return;
      initial.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
    expect(initial.size).toBeGreaterThan(0);
    const gzipped = [...initial]
      .filter((file) => file.endsWith('.js'))
      .reduce((sum, file) => sum + gzipSync(readFileSync(join(CONSOLE_DIST, file))).length, 0);
    console.log(`initial JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzip`);
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
