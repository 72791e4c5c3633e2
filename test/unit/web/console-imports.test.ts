/**
 * The console is a client of the API like any other: it reaches the server only through the typed
 * client (`@co-sell/client`) and never imports the server's code, so domain/ can change without
 * the console's bundle following it. Every module specifier of every file under web/ is checked,
 * type-only imports included (they tie the console to the domain's shapes as much as values do).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const WEB = join(REPO_ROOT, 'web');
const SERVER_FOLDERS = ['domain', 'functions', 'infra'];

const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return /\.(ts|tsx|js|jsx|mjs|html)$/.test(entry.name) ? [path] : [];
  });

/** Every module a source names: static imports and re-exports (type-only too), side-effect and dynamic imports. */
const specifiersOf = (source: string): string[] => {
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
    /\bsrc\s*=\s*(['"])([^'"]+)\1/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[2] ?? ''));
};

/** The server folder a specifier of `file` reaches into (by relative path or `#` alias), if any. */
const serverFolderOf = (file: string, specifier: string): string | undefined => {
  const alias = /^#([^/]+)\//.exec(specifier)?.[1];
  if (alias) return SERVER_FOLDERS.includes(alias) ? alias : undefined;
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return undefined;
  const target = relative(
    REPO_ROOT,
    resolve(specifier.startsWith('/') ? WEB : dirname(file), `./${specifier}`),
  );
  return SERVER_FOLDERS.find((folder) => target === folder || target.startsWith(`${folder}${sep}`));
};

describe('the console’s imports', () => {
  it('finds every form of import a console module can write', () => {
    const source = `
      import { a } from '../../domain/model.ts';
      import type { B } from "#domain/model.ts";
      import {
        c,
        type D,
      } from '../../../functions/x.ts';
      export { e } from './e.ts';
      export type { F } from './f.ts';
      import './styles.css';
      const g = await import('../infra/g.ts');
      <script type="module" src="/src/main.tsx"></script>
    `;
    expect(specifiersOf(source)).toEqual([
      '../../domain/model.ts',
      '#domain/model.ts',
      '../../../functions/x.ts',
      './e.ts',
      './f.ts',
      './styles.css',
      '../infra/g.ts',
      '/src/main.tsx',
    ]);
    const file = join(WEB, 'src', 'deals', 'labels.ts');
    expect(serverFolderOf(file, '../../../domain/model.ts')).toBe('domain');
    expect(serverFolderOf(file, '#domain/model.ts')).toBe('domain');
    expect(serverFolderOf(file, '../../../functions/http/schemas.ts')).toBe('functions');
    expect(serverFolderOf(file, '../queries.ts')).toBeUndefined();
    expect(serverFolderOf(file, '@co-sell/client')).toBeUndefined();
  });

  it('never reaches into domain/, functions/ or infra/ from any file under web/', () => {
    const files = sourcesUnder(WEB);
    expect(files.length).toBeGreaterThan(10);
    const crossings = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((specifier) => serverFolderOf(file, specifier) !== undefined)
        .map((specifier) => `${relative(REPO_ROOT, file)} imports ${specifier}`),
    );
    expect(crossings).toEqual([]);
  });
});
