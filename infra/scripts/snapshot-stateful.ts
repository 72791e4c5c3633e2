/**
 * Writes test/infra/stateful-snapshot.json: the stateful resources (table, buckets, user pool) of the
 * dev and prod templates as this commit synthesizes them. Regenerate it at each release, from the
 * commit being released, so upgrade.test.ts checks the next release against what is deployed:
 *
 *     npx tsx infra/scripts/snapshot-stateful.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STAGE_CONTEXTS } from '#test/infra/stacks.ts';
import {
  STATEFUL_SNAPSHOT_FILE,
  type StatefulSnapshot,
  synthesizedStatefulResources,
} from '#test/infra/stateful-resources.ts';

const snapshot: StatefulSnapshot = {
  $comment:
    "The last release's stateful resources, compared with each synthesis by test/infra/upgrade.test.ts. " +
    'Regenerate at each release, from the released commit: npx tsx infra/scripts/snapshot-stateful.ts',
  stages: {
    dev: synthesizedStatefulResources(STAGE_CONTEXTS.dev),
    prod: synthesizedStatefulResources(STAGE_CONTEXTS.prod),
  },
};
writeFileSync(STATEFUL_SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
console.log(`Wrote ${fileURLToPath(STATEFUL_SNAPSHOT_FILE)}`);
