import type { Redis } from 'ioredis';
import {
  checkRedis,
  connectRedis,
  deleteRunKeys,
  namingSilence,
  REDIS_COMMAND_MS,
  redisUrlOf,
  runKeyPrefix,
} from '../services/redis.js';
import { nowMs } from '../clock/wall-clock.js';
import type { EffectRecord } from '../shared/records.js';
import type { DedupeStore, StoreKind } from './contract.js';

/**
 * Redis as the shared dedupe store, as the slides present it: O(1) access to strings, with a TTL.
 * A mark is the key semlab:<runId>:mark:<epoch>, set atomically (SET NX PX). The atomic preset's
 * check + effect + mark is one Lua script, so the effect ledger of those executions is a Redis list
 * (semlab:<runId>:effects) written in the same atomic step.
 */
const names = (runId: string) => {
  const prefix = runKeyPrefix(runId);
  return { mark: (epoch: number) => `${prefix}mark:${epoch}`, effects: `${prefix}effects` };
};

/**
 * A mark's value is the instant it expires ('inf': never), read against the caller's clock, so a
 * TTL means the same on the virtual clock (the run's milliseconds) as on the real one. On the
 * real clock the key also gets Redis's own PX expiry, the TTL the slides show.
 *
 * KEYS[1] mark, KEYS[2] effects list (EXECUTE_ONCE only); ARGV[1] now, ARGV[2] the new expiry
 * ('inf' or an instant), ARGV[3] PX ms (0: none), ARGV[4] the effect record.
 */
const MARK_IF_ABSENT = `
local v = redis.call('GET', KEYS[1])
if v and (v == 'inf' or tonumber(v) > tonumber(ARGV[1])) then return 0 end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
if KEYS[2] then redis.call('RPUSH', KEYS[2], ARGV[4]) end
return 1
`;

export const redisStore: StoreKind = {
  name: 'redis',
  summary: 'keys with a TTL in a redis-server, shared by all workers (SET NX PX; Lua for atomic)',

  prepare: checkRedis,
  probe: checkRedis,

  async open(context, _ledger, now) {
    return new RedisDedupeStore(
      await connectRedis(redisUrlOf(context)),
      names(context.runId),
      context.dedupeTtlMs,
      now,
    );
  },

  async *readEffects(context): AsyncIterable<EffectRecord> {
    // Bounded: a Redis that froze during the run fails this read instead of holding the check.
    const url = redisUrlOf(context);
    const redis = await connectRedis(url, { commandTimeoutMs: REDIS_COMMAND_MS });
    try {
      const key = names(context.runId).effects;
      const length = await namingSilence(url, redis.llen(key));
      for (let start = 0; start < length; start += 1000) {
        for (const text of await namingSilence(url, redis.lrange(key, start, start + 999)))
          yield JSON.parse(text) as EffectRecord;
      }
    } finally {
      redis.disconnect();
    }
  },

  cleanup: deleteRunKeys,
};

class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReturnType<typeof names>,
    private readonly ttlMs: number | undefined,
    /** The caller's clock: the message's virtual instant, or absent for wall time. */
    private readonly now?: () => number,
  ) {}

  async isMarked(epoch: number): Promise<boolean> {
    const value = await this.redis.get(this.keys.mark(epoch));
    return value !== null && (value === 'inf' || Number(value) > this.currentTime());
  }

  async mark(epoch: number): Promise<void> {
    const px = this.px();
    if (px > 0) await this.redis.set(this.keys.mark(epoch), this.expiry(), 'PX', px);
    else await this.redis.set(this.keys.mark(epoch), this.expiry());
  }

  async markIfAbsent(epoch: number): Promise<boolean> {
    const marked = await this.redis.eval(
      MARK_IF_ABSENT,
      1,
      this.keys.mark(epoch),
      String(this.currentTime()),
      this.expiry(),
      String(this.px()),
    );
    return marked === 1;
  }

  async executeOnce(epoch: number, attempt: number, worker: string): Promise<boolean> {
    const record: EffectRecord = { t: nowMs(), epoch, attempt, worker };
    const executed = await this.redis.eval(
      MARK_IF_ABSENT,
      2,
      this.keys.mark(epoch),
      this.keys.effects,
      String(this.currentTime()),
      this.expiry(),
      String(this.px()),
      JSON.stringify(record),
    );
    return executed === 1;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private currentTime(): number {
    return this.now ? this.now() : Date.now();
  }

  private expiry(): string {
    return this.ttlMs === undefined ? 'inf' : String(this.currentTime() + this.ttlMs);
  }

  /** Redis's own expiry, on the real clock only: virtual instants mean nothing to Redis. */
  private px(): number {
    return this.now === undefined ? (this.ttlMs ?? 0) : 0;
  }
}
