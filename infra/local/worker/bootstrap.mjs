// The entry of every local function's worker thread. Plain JavaScript, because a worker starts
// without the parent's TypeScript loader: register tsx in this thread, then run the host.
import { register } from 'tsx/esm/api';

register();
await import('./function-host.ts');
