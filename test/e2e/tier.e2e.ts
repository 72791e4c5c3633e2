/**
 * The e2e tier as one test file: the runtime has one domain clock, which some tests move, so the
 * tier's files must not run at the same time as each other — but they may run beside the other
 * tiers. Vitest runs a project whose files may not run in parallel after every other project,
 * alone (its CPU mostly idle while the runtime answers); as one file, the tier shares the run's
 * workers with the rest. Each file is collected inside a suite of its own name, so its top-level
 * hooks (its runtime, its orgs) stay its own. Run one with `npm run test:e2e -- -t <file name>`.
 */
import { readdirSync } from 'node:fs';
import { describe } from 'vitest';

const SUFFIX = '.test.ts';
const files = readdirSync(new URL('.', import.meta.url))
  .filter((name) => name.endsWith(SUFFIX))
  .sort();

for (const file of files)
  describe(file.slice(0, -SUFFIX.length), async () => {
    await import(`./${file}`);
  });
