import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { localized } from '../i18n/catalog.js';
import { InfrastructureError } from '../shared/errors.js';
import { withDeadline } from '../util/deadline.js';

/** Where semlab looks for Redis when no --redis-url is given. */
export function defaultRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/** Every key of a run lives under this prefix, and nothing of the run lives outside it. */
export function runKeyPrefix(runId: string): string {
  return `semlab:${runId}:`;
}

/** How long a Redis has to answer the handshake (connect, ECHO, SELECT) before it is given up. */
export const REDIS_ANSWER_MS = 2000;

export interface ConnectOptions {
  /**
   * A deadline for every command, for connections that never block on purpose (cleanup, reading
   * effects back): a server that freezes mid-way then fails the call instead of holding it forever.
   */
  readonly commandTimeoutMs?: number;
  /**
   * ioredis's auto-pipelining (default on): commands of one tick leave in one write, at the cost
   * of a pipeline object per tick and of waiting for the tick to end. Off for the transport's
   * connections, whose loops issue one or two commands per turn (src/transports/redis): there it
   * only cost. Measured on two cores (4 workers, 50,000 messages, window 100, 3 alternated runs):
   * semlab over Redis 39,000-40,000 -> 44,000-45,500 msg/s on the virtual clock and
   * 51,000-56,000 -> 63,000-65,500 on the real clock; the raw loop of the bench, 77,000-84,000 ->
   * 106,000-114,000.
   */
  readonly autoPipelining?: boolean;
}

/**
 * A connection that fails fast, to a server checked to be a Redis that has the URL's database:
 * - nothing listens: reported within about two seconds, naming the URL and how to start a Redis,
 *   instead of ioredis's endless reconnecting;
 * - it accepts the connection and answers nothing (a frozen redis-server, SIGSTOP): "stopped
 *   answering", naming the URL;
 * - it answers, but not like Redis: ECHO of a random token must come back as that token, which a
 *   server that answers every command the same way (say +PONG) cannot guess;
 * - the URL's database index (redis://host:port/N) is one the server lacks: SELECT N is sent and
 *   its error reported. ioredis sends that SELECT by itself but only emits its failure as an
 *   'error' event and goes on in database 0.
 * A connection lost later in the run is not retried either: the run fails loudly (exit 3).
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<Redis> {
  // Loaded here, not at the top: the CLI reads this module's defaults on every run, and only a
  // run that uses Redis should pay for loading ioredis.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: REDIS_ANSWER_MS,
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableAutoPipelining: options.autoPipelining ?? true,
  });
  // Without a listener ioredis prints connection errors itself; we keep the last for our message.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  // The TCP connection was accepted: from here on, silence means the server stopped answering.
  let connected = false;
  redis.once('connect', () => (connected = true));
  const db = redis.options.db ?? 0;
  // Where the handshake got to (set inside the async step below, read after it failed).
  const at: { step: 'connect' | 'echo' | 'select' } = { step: 'connect' };
  try {
    // connect() waits for the server's answer to a ready check: a server that accepts and never
    // answers would hold it forever, so the whole handshake has one deadline.
    const closed = new Promise<never>((_, reject) =>
      redis.once('end', () => reject(lastError ?? new Error('connection closed'))),
    );
    const token = `semlab-${randomBytes(12).toString('hex')}`;
    const handshake = async (): Promise<void> => {
      await redis.connect();
      at.step = 'echo';
      // Both sent before either answer is awaited: the check costs one round trip, as a PING.
      const echo = redis.echo(token);
      const select = redis.select(db);
      select.catch(() => undefined);
      const echoed = await echo;
      if (echoed !== token) throw new NotRedisError(`answered '${shorten(echoed)}' to ECHO`);
      at.step = 'select';
      await select;
    };
    await withDeadline(Promise.race([handshake(), closed]), REDIS_ANSWER_MS, NO_ANSWER);
    return redis;
  } catch (error) {
    redis.disconnect();
    const why = error instanceof Error ? error.message : String(error);
    const silent = why === NO_ANSWER || /timed out/i.test(why);
    if (error instanceof NotRedisError)
      throw new InfrastructureError(localized('redisNotRedis', { url, why }));
    if (at.step === 'echo' && !silent) {
      // Every Redis answers ECHO; an error to it is a server that only looks like one.
      throw new InfrastructureError(
        localized('redisNotRedis', { url, why: `answered '${shorten(why)}' to ECHO` }),
      );
    }
    if (at.step === 'select' && !silent) {
      throw new InfrastructureError(localized('redisNoDatabase', { url, db, why }));
    }
    if (connected && silent) {
      throw new InfrastructureError(
        localized('redisNotAnswering', { url, seconds: REDIS_ANSWER_MS / 1000 }),
      );
    }
    // The how-to-start advice is part of the catalog message (src/i18n), in the reader's language.
    throw new InfrastructureError(
      localized('redisUnreachable', { url, why: lastError?.message ?? why }),
    );
  }
}

const NO_ANSWER = `no answer within ${REDIS_ANSWER_MS} ms`;

/** The server answered, but not as Redis would. */
class NotRedisError extends Error {}

/** A fake server's answer can be anything: at most 60 characters of it go into a message. */
function shorten(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
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

/** A quick look that the run's Redis is there and is a Redis (fails fast, see connectRedis). */
export async function checkRedis(context: RedisRunContext): Promise<void> {
  (await connectRedis(redisUrlOf(context))).disconnect();
}

/** Each SCAN or UNLINK of a cleanup, and each read of the effects, gets this long. */
export const REDIS_COMMAND_MS = 5000;
/** A whole cleanup gets this long: a run's keys are thousands, not millions. */
const CLEANUP_MS = 30_000;

/** Deletes the run's keys at its end, unless it asked to keep them. Shared by transport and store. */
export async function deleteRunKeys(context: RedisRunContext): Promise<void> {
  if (context.keep) return;
  const url = redisUrlOf(context);
  const redis = await connectRedis(url, { commandTimeoutMs: REDIS_COMMAND_MS });
  try {
    await namingSilence(url, deleteKeysWithPrefix(redis, runKeyPrefix(context.runId)));
  } finally {
    redis.disconnect();
  }
}

/**
 * `work`, with a command that timed out (ConnectOptions.commandTimeoutMs) reported as the server
 * at `url` having stopped answering: ioredis's own "Command timed out" names no server.
 */
export async function namingSilence<T>(url: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Error && /command timed out/i.test(error.message)) {
      throw new InfrastructureError(
        localized('redisNotAnswering', { url, seconds: REDIS_COMMAND_MS / 1000 }),
      );
    }
    throw error;
  }
}

/**
 * Deletes every key under `prefix` (SCAN + UNLINK, never FLUSHDB); returns how many. Bounded: each
 * SCAN reply must have Redis's shape ([cursor, keys]) and the loop ends within `withinMs`, so a
 * server that answers strangely or never gets to cursor 0 fails the cleanup instead of spinning.
 */
export async function deleteKeysWithPrefix(
  redis: Redis,
  prefix: string,
  withinMs = CLEANUP_MS,
): Promise<number> {
  const deadline = Date.now() + withinMs;
  let deleted = 0;
  let cursor = '0';
  do {
    const reply: unknown = await redis.scan(
      cursor,
      'MATCH',
      `${escapeGlob(prefix)}*`,
      'COUNT',
      500,
    );
    if (!isScanReply(reply)) {
      throw new InfrastructureError(
        `Redis answered SCAN with '${shorten(reply)}', not a cursor and a list of keys`,
      );
    }
    const [next, keys] = reply;
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    if (cursor !== '0' && Date.now() > deadline) {
      throw new InfrastructureError(
        `deleting the keys under ${prefix} took longer than ${withinMs / 1000} s (${deleted} deleted)`,
      );
    }
  } while (cursor !== '0');
  return deleted;
}

function isScanReply(reply: unknown): reply is [string, string[]] {
  return (
    Array.isArray(reply) &&
    reply.length === 2 &&
    typeof reply[0] === 'string' &&
    /^\d+$/.test(reply[0]) &&
    Array.isArray(reply[1]) &&
    reply[1].every((key) => typeof key === 'string')
  );
}

/** SCAN's MATCH is a glob: a run id never holds * ? [ ], but a prefix is escaped all the same. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
