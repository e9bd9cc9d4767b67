import { Redis } from 'ioredis';
import { localized } from '../i18n/catalog.js';
import { InfrastructureError } from '../shared/errors.js';

/** Where semlab looks for Redis when no --redis-url is given. */
export function defaultRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/** Every key of a run lives under this prefix, and nothing of the run lives outside it. */
export function runKeyPrefix(runId: string): string {
  return `semlab:${runId}:`;
}

/**
 * A connection that fails fast: an unreachable or wrong server is reported within about three
 * seconds, naming the URL and how to start a Redis, instead of ioredis's endless reconnecting. A
 * connection lost later in the run is not retried either: the run fails loudly (exit 3).
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: undefined,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableAutoPipelining: true,
  });
  // Without a listener ioredis prints connection errors itself; we keep the last for our message.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    // connect() waits for the server's answer to a ready check: a server that accepts and never
    // answers would hold it forever, so the whole handshake has one deadline.
    const closed = new Promise<never>((_, reject) =>
      redis.once('end', () => reject(lastError ?? new Error('connection closed'))),
    );
    const pong = await withTimeout(
      Promise.race([redis.connect().then(() => redis.ping()), closed]),
      2000,
    );
    if (pong !== 'PONG') throw new Error(`answered '${String(pong)}' to PING`);
    return redis;
  } catch (error) {
    redis.disconnect();
    const why = lastError?.message ?? (error instanceof Error ? error.message : String(error));
    // The how-to-start advice is part of the catalog message (src/i18n), in the reader's language.
    throw new InfrastructureError(localized('redisUnreachable', { url, why }));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** What a run needs to reach its Redis and find its keys (a RunPlan has it). */
export interface RedisRunContext {
  readonly runId: string;
  readonly redisUrl?: string;
  readonly keep?: boolean;
}

export function redisUrlOf(context: RedisRunContext): string {
  return context.redisUrl ?? defaultRedisUrl();
}

/** A quick look that the run's Redis is there (fails fast, see connectRedis). */
export async function checkRedis(context: RedisRunContext): Promise<void> {
  (await connectRedis(redisUrlOf(context))).disconnect();
}

/** Deletes the run's keys at its end, unless it asked to keep them. Shared by transport and store. */
export async function deleteRunKeys(context: RedisRunContext): Promise<void> {
  if (context.keep) return;
  const redis = await connectRedis(redisUrlOf(context));
  try {
    await deleteKeysWithPrefix(redis, runKeyPrefix(context.runId));
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK, never FLUSHDB); returns how many. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** SCAN's MATCH is a glob: a run id never holds * ? [ ], but a prefix is escaped all the same. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
