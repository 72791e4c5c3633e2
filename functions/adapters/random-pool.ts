/**
 * Cryptographically random bytes served from a pool that is refilled 4 KiB at a time. Every request
 * makes several ids, and `ulid` asks for each of an id's 16 random characters separately: drawn one
 * call at a time that was about 0.1 ms of system calls per request (docs/benchmarks.md); from the
 * pool, one call serves hundreds of ids.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `count` random bytes (a copy: the pool is reused). */
export const randomBytesFromPool = (count: number): Buffer => {
  if (count > POOL_BYTES) throw new RangeError(`At most ${POOL_BYTES} bytes at a time`);
  if (used + count > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + count));
  used += count;
  return bytes;
};

/**
 * A uniform random number in [0, 1) with 8 bits of resolution: what `ulid` needs of its generator
 * (it takes `floor(x * 32)`, and 32 divides 256, so each character stays uniform).
 */
export const randomByteFraction = (): number => (randomBytesFromPool(1)[0] as number) / 256;
