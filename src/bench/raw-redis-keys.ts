/**
 * What the raw Redis producer, its consumers and the bench share: the key names of one
 * measurement and how a raw process connects.
 */
import { Redis } from 'ioredis';

/** Every key of a measurement lives under its own prefix, so the bench can delete exactly those. */
export function rawRedisKeys(prefix: string): { readonly work: string; readonly acks: string } {
  return { work: `${prefix}work`, acks: `${prefix}acks` };
}

/** How long a blocking pop waits before it looks again: semlab's transport uses the same second. */
export const BLOCK_SECONDS = 1;

/** Acks taken per BLMPOP, as semlab's dispatcher does (src/transports/redis/redis-transport.ts). */
export const ACK_BATCH = 256;

/**
 * A connection with the options semlab's transport (src/services/redis.ts) uses, without
 * auto-pipelining as there (which made this loop about a third slower), so the two sides differ in
 * their protocol loop and not in how ioredis talks. No reconnecting: a lost server fails the
 * measurement instead of stretching it.
 */
export async function connectRaw(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableAutoPipelining: false,
  });
  // Without a listener ioredis prints connection errors itself; the failed command reports them.
  redis.on('error', () => undefined);
  await redis.connect();
  return redis;
}
