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
import { nowMs } from '../util/clock.js';
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

/** KEYS[1] mark, KEYS[2] effects list; ARGV[1] ttl ms (0: none), ARGV[2] the effect record. */
const EXECUTE_ONCE = `
local marked
if tonumber(ARGV[1]) > 0 then
  marked = redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1])
else
  marked = redis.call('SET', KEYS[1], '1', 'NX')
end
if not marked then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`;

export const redisStore: StoreKind = {
  name: 'redis',
  summary: 'keys with a TTL in a redis-server, shared by all workers (SET NX PX; Lua for atomic)',

  prepare: checkRedis,
  probe: checkRedis,

  async open(context) {
    return new RedisDedupeStore(
      await connectRedis(redisUrlOf(context)),
      names(context.runId),
      context.dedupeTtlMs,
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
  ) {}

  async isMarked(epoch: number): Promise<boolean> {
    return (await this.redis.exists(this.keys.mark(epoch))) === 1;
  }

  async mark(epoch: number): Promise<void> {
    if (this.ttlMs === undefined) await this.redis.set(this.keys.mark(epoch), '1');
    else await this.redis.set(this.keys.mark(epoch), '1', 'PX', this.ttlMs);
  }

  async markIfAbsent(epoch: number): Promise<boolean> {
    const key = this.keys.mark(epoch);
    const result =
      this.ttlMs === undefined
        ? await this.redis.set(key, '1', 'NX')
        : await this.redis.set(key, '1', 'PX', this.ttlMs, 'NX');
    return result === 'OK';
  }

  async executeOnce(epoch: number, attempt: number, worker: string): Promise<boolean> {
    const record: EffectRecord = { t: nowMs(), epoch, attempt, worker };
    const executed = await this.redis.eval(
      EXECUTE_ONCE,
      2,
      this.keys.mark(epoch),
      this.keys.effects,
      String(this.ttlMs ?? 0),
      JSON.stringify(record),
    );
    return executed === 1;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
