import { readFileSync } from 'node:fs';
import { redisServerInstalled, startLocalRedis, type LocalRedis } from '../services/local-redis.js';
import { connectRedis, deleteKeysWithPrefix } from '../services/redis.js';

/** The Redis the bench's Redis row runs against, and how to let go of it afterwards. */
export interface BenchRedis {
  readonly url: string;
  /** One line for the report: which server, and who started it. */
  readonly server: string;
  close(): Promise<void>;
}

export type BenchRedisChoice =
  | { readonly kind: 'ready'; readonly redis: BenchRedis }
  | { readonly kind: 'skipped'; readonly reason: string };

/** How long redis-server gets to exit on SIGTERM (no persistence: it has nothing to save). */
const STOP_GRACE_MS = 5000;

/**
 * With --redis-url, that server (checked now, so a wrong URL fails before any measurement);
 * without, a redis-server of the bench's own on a free loopback port, never a shared one found in
 * $REDIS_URL. A machine without redis-server skips the row rather than failing the whole bench.
 */
export async function openBenchRedis(givenUrl: string | undefined): Promise<BenchRedisChoice> {
  if (givenUrl !== undefined) {
    const version = await serverVersion(givenUrl);
    return {
      kind: 'ready',
      redis: {
        url: givenUrl,
        server: `Redis ${version} at ${givenUrl} (--redis-url)`,
        close: async () => undefined,
      },
    };
  }
  if (!redisServerInstalled()) {
    return {
      kind: 'skipped',
      reason:
        'redis-server is not installed and no --redis-url was given ' +
        '(Debian: sudo apt-get install -y redis-server)',
    };
  }
  const local = await startLocalRedis();
  try {
    const version = await serverVersion(local.url);
    return {
      kind: 'ready',
      redis: {
        url: local.url,
        server: `redis-server ${version} started by the bench at ${local.url}, no persistence`,
        close: () => stopLocalRedis(local),
      },
    };
  } catch (error) {
    await stopLocalRedis(local);
    throw error;
  }
}

/**
 * The server's version, refusing one older than 7.0: both semlab's dispatcher and the raw producer
 * take their acks with BLMPOP, which older servers reject mid-run with a less helpful message.
 */
async function serverVersion(url: string): Promise<string> {
  const redis = await connectRedis(url);
  try {
    const info = await redis.info('server');
    const version = /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    if (Number(version.split('.')[0]) < 7) {
      throw new Error(`Redis at ${url} is ${version}; the bench needs 7.0 or newer (BLMPOP)`);
    }
    return version;
  } finally {
    redis.disconnect();
  }
}

/**
 * `LocalRedis.stop` waits for an 'exit' that has already happened when the server died of a
 * signal, so it gets a deadline; after it, SIGKILL goes to the pid only if that pid is still a
 * redis-server on our port (a pid that was freed may belong to someone else by now).
 */
async function stopLocalRedis(local: LocalRedis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
  });
  const outcome = await Promise.race([local.stop().then(() => 'stopped' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'late' && isOurRedisServer(local)) process.kill(local.pid, 'SIGKILL');
}

function isOurRedisServer(local: LocalRedis): boolean {
  const port = new URL(local.url).port;
  try {
    const command = readFileSync(`/proc/${local.pid}/cmdline`, 'utf8');
    return command.includes('redis-server') && command.includes(port);
  } catch {
    return false;
  }
}

/**
 * Deletes every key under `prefix` with SCAN + UNLINK (never FLUSHDB: with --redis-url the
 * server may hold other people's data) and returns how many there were.
 */
export async function deleteBenchKeys(url: string, prefix: string): Promise<number> {
  const redis = await connectRedis(url);
  try {
    return await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
