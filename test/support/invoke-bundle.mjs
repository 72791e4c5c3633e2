// The artifact tier's stand-in for the Lambda Node.js runtime, run by plain `node` (no TypeScript
// loader) in a fresh process with exactly a function's environment: imports the bundle as the
// runtime imports `index.mjs`, invokes the exported handler with each event in turn (one warm
// execution environment), writes the outcomes.
//   node invoke-bundle.mjs <bundle file> <export> <dir with events.json; result.json is written there>
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundle, exportName, dir] = process.argv.slice(2);
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
/** Each invocation's own context, with its own deadline, as Lambda gives every invocation. */
const invocationContext = () => {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'artifact-test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
};

const finish = (outcome) => {
  writeFileSync(join(dir, 'result.json'), JSON.stringify(outcome));
  // SDK clients keep sockets open; Lambda freezes the environment, a test process must end.
  process.exit(0);
};

try {
  const module = await import(pathToFileURL(bundle).href);
  if (typeof module[exportName] !== 'function') throw new Error(`${bundle} does not export ${exportName}`);
  const events = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8'));
  const results = [];
  for (const event of events) results.push((await module[exportName](event, invocationContext())) ?? null);
  finish({ ok: true, results });
} catch (error) {
  finish({ ok: false, error: String(error?.stack ?? error) });
}
