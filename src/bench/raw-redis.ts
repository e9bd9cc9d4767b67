import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { forkBenchEntry, nextMessage, stop } from './children.js';
import { deleteBenchKeys } from './bench-redis.js';
import type { GoMessage, RawLoadSettings } from './protocol.js';
import { workPopCount } from '../transports/redis/redis-transport.js';

/** Forking and connecting take well under a second; this only catches a broken setup. */
const STARTUP_TIMEOUT_MS = 15_000;

export interface RawRedisResult {
  readonly throughput: number;
  readonly durationMs: number;
  readonly producerMaxRssKb: number;
}

/**
 * One raw LPUSH/BLMPOP measurement, laid out like a semlab run over Redis: a producer and N
 * consumers, sibling processes forked by this one, started before the clock starts and stopped
 * after it. Its keys live under a prefix of their own, deleted afterwards whatever happened.
 * With `journalDir`, the producer and each consumer also write semlab's journal lines there
 * (./raw-journal.ts); the folder is the caller's.
 */
export async function measureRawRedis(
  load: RawLoadSettings,
  url: string,
  journalDir?: string,
): Promise<RawRedisResult> {
  const prefix = `semlab-bench:${randomBytes(6).toString('hex')}:`;
  const journalArgs = journalDir !== undefined ? [journalDir] : [];
  const children: ChildProcess[] = [];
  let result: RawRedisResult | undefined;
  let failure: unknown;
  try {
    const producer = forkBenchEntry('raw-redis-producer-main.js', [url, prefix, ...journalArgs]);
    children.push(producer);
    for (let i = 1; i <= load.workers; i++) {
      children.push(
        forkBenchEntry('raw-redis-consumer-main.js', [
          url,
          prefix,
          `w${i}`,
          String(workPopCount(load)),
          ...journalArgs,
        ]),
      );
    }
    await Promise.all(
      children.map((child, i) =>
        nextMessage(
          child,
          'ready',
          STARTUP_TIMEOUT_MS,
          i === 0 ? 'raw redis producer' : `raw redis consumer ${i}`,
        ),
      ),
    );
    const done = nextMessage(producer, 'done', runTimeoutMs(load.messages), 'raw redis producer');
    const go: GoMessage = { type: 'go', ...load };
    producer.send(go);
    const { durationMs, maxRssKb } = await done;
    result = {
      throughput: Math.round(load.messages / (durationMs / 1000)),
      durationMs: Math.round(durationMs),
      producerMaxRssKb: maxRssKb,
    };
  } catch (error) {
    failure = error;
  }
  // Consumers first out of BLMPOP, then the keys: nothing can push onto them after the delete.
  await Promise.all(children.map(stop));
  try {
    await deleteBenchKeys(url, prefix);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined || !result) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new Error(`raw redis measurement failed: ${reason}`);
  }
  return result;
}

/** Generous: a healthy loop moves thousands of messages a second; a stalled one moves none. */
function runTimeoutMs(messages: number): number {
  return 30_000 + messages;
}
