/**
 * `npm start`: the whole API on this machine (docs/local.md). Data lives in `.local/`;
 * delete that folder to start from a fresh seed. Ctrl-C stops everything, DynamoDB Local included.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { watchConsole } from './console-build.ts';
import { DEMO_HOST, demoUsers } from './demo-data.ts';
import { REPO_ROOT } from './gateway.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';

// Only this one SDK notice (Node 20 support ends in 2027): it would bury the banner on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const portFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, not "${raw}"`);
  return port;
};

const banner = (runtime: LocalRuntime): string => {
  const users = demoUsers()
    .map(({ org, user }) => `  ${user.sub.padEnd(20)} ${user.roles.join(',').padEnd(16)} ${org}`)
    .join('\n');
  const tokenCmd =
    `TOKEN=$(curl -s -X POST ${runtime.url}/dev/tokens -H 'content-type: application/json' ` +
    `-d '{"sub":"${DEMO_HOST.admin.sub}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`;
  return [
    '',
    `Co-sell referrals API is running at ${runtime.url}`,
    `Web console:             ${runtime.url}/  (sign in with a demo user's sub; rebuilt when web/ changes)`,
    '',
    'Get a token for the host admin, then call the API with it:',
    `  ${tokenCmd}`,
    `  curl -s ${runtime.url}/v1/me -H "authorization: Bearer $TOKEN"`,
    '',
    'Demo users (sign in as any of them with POST /dev/tokens {"sub": "<sub>"}):',
    users,
    '',
    `Emails sent by the API:  ${runtime.inboxUrl}  (JSON: ${runtime.emailStoreUrl})`,
    `DynamoDB Local:          ${runtime.dynamoEndpoint}  (table ${runtime.tableName})`,
    `S3 emulator:             ${runtime.s3Endpoint}  (bucket ${runtime.attachmentsBucket})`,
    `Dev routes:              POST /dev/tokens, POST /dev/orgs, GET|POST|DELETE /dev/clock, POST /dev/jobs/{name}`,
    'Data lives in .local/ (delete it to reset). Press Ctrl-C to stop.',
    '',
  ].join('\n');
};

/** The parent of our parent (Linux only), or undefined where /proc is absent. */
const grandparentPid = (): number | undefined => {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
};

/**
 * `npm start` runs `sh -c tsx …`: when only npm is signalled (a `kill <npm pid>`, a container
 * stop), `sh` dies without passing the signal on and this process would be orphaned with its Java
 * child. Noticing that the launcher chain went away is the only portable cue, so poll for it.
 */
const watchLauncher = (onGone: () => void): void => {
  const initial = grandparentPid();
  if (initial === undefined) return;
  setInterval(() => {
    if (grandparentPid() !== initial) onGone();
  }, 1000).unref();
};

const main = async (): Promise<void> => {
  const stopConsole = await watchConsole((line) => console.log(line));
  const runtime = await startLocalRuntime({
    port: portFromEnv('PORT', 3000),
    dynamoPort: portFromEnv('DYNAMODB_PORT', 8000),
    sesPort: portFromEnv('SES_PORT', 8005),
    s3Port: portFromEnv('S3_PORT', 8010),
    dataDir: resolve(REPO_ROOT, '.local'),
    seed: true,
  });
  console.log(banner(runtime));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    Promise.all([runtime.stop(), stopConsole()])
      .then(() => {
        console.log('Stopped.');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  watchLauncher(() => shutdown('SIGHUP'));
};

main().catch((error: unknown) => {
  console.error(`Could not start the local runtime: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
