import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { forkBenchEntry, nextMessage, stop } from './children.js';
import type { GoMessage, RawLoadSettings } from './protocol.js';
import {
  createRawTopics,
  deleteWithPrefix,
  RAW_KAFKA_PREFIX,
  rawKafka,
  rawKafkaNames,
} from './raw-kafka-client.js';

/** Forking, connecting and joining a group take a few seconds; this only catches a broken setup. */
const STARTUP_TIMEOUT_MS = 30_000;
/** How long the consumers' group gets to settle with every member, as semlab's dispatcher waits. */
const GROUP_TIMEOUT_MS = 20_000;

export interface RawKafkaResult {
  readonly throughput: number;
  readonly durationMs: number;
  readonly producerMaxRssKb: number;
  /** Distinct messages acked (always `messages`: the measurement fails otherwise). */
  readonly acked: number;
  /** Acks for a message already acked: 0 unless a rebalance handed a batch out twice. */
  readonly duplicateAcks: number;
}

/**
 * One raw kafkajs produce→consume→ack measurement, laid out like a semlab run over Kafka: a
 * producer and N consumers, sibling processes forked by this one, with topics of their own
 * (`bench.<id>.work` and `.acks`, one partition per consumer) created before the clock starts.
 * The children are stopped and the topics and groups deleted afterwards, whatever happened.
 */
export async function measureRawKafka(
  load: RawLoadSettings,
  brokers: string,
): Promise<RawKafkaResult> {
  const prefix = `${RAW_KAFKA_PREFIX}${randomBytes(6).toString('hex')}.`;
  const names = rawKafkaNames(prefix);
  const admin = rawKafka(brokers, `${prefix}bench`).admin();
  const children: ChildProcess[] = [];
  let result: RawKafkaResult | undefined;
  let failure: unknown;
  try {
    await admin.connect();
    await createRawTopics(admin, names, load.workers);
    const producer = forkBenchEntry('raw-kafka-producer-main.js', [brokers, prefix]);
    children.push(producer);
    for (let i = 1; i <= load.workers; i++) {
      children.push(forkBenchEntry('raw-kafka-consumer-main.js', [brokers, prefix, `w${i}`]));
    }
    await Promise.all(
      children.map((child, i) =>
        nextMessage(
          child,
          'ready',
          STARTUP_TIMEOUT_MS,
          i === 0 ? 'raw kafka producer' : `raw kafka consumer ${i}`,
        ),
      ),
    );
    await groupSettled(admin, names.workersGroup, load.workers, GROUP_TIMEOUT_MS);
    const done = nextMessage(producer, 'done', runTimeoutMs(load.messages), 'raw kafka producer');
    const go: GoMessage = { type: 'go', ...load };
    producer.send(go);
    const { durationMs, maxRssKb, acked = 0, duplicateAcks = 0 } = await done;
    if (acked !== load.messages) {
      throw new Error(`the producer saw ${acked} of ${load.messages} messages acked`);
    }
    result = {
      throughput: Math.round(load.messages / (durationMs / 1000)),
      durationMs: Math.round(durationMs),
      producerMaxRssKb: maxRssKb,
      acked,
      duplicateAcks,
    };
  } catch (error) {
    failure = error;
  }
  // Members first (a group with members cannot be deleted), then the groups and topics.
  await Promise.all(children.map(stop));
  try {
    const left = await deleteWithPrefix(admin, prefix);
    if (left.length > 0) throw new Error(`could not delete ${left.join(', ')}`);
  } catch (error) {
    failure ??= error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (failure !== undefined || !result) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new Error(`raw kafka measurement failed: ${reason}`);
  }
  return result;
}

/**
 * Waits until the group is Stable with `members` members: before that, records would all go to
 * whoever joined first and a rebalance would interrupt the measurement.
 */
async function groupSettled(
  admin: Admin,
  groupId: string,
  members: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const group = (await admin.describeGroups([groupId])).groups[0];
    if (group?.state === 'Stable' && group.members.length >= members) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `the consumers' group did not settle with ${members} members within ${timeoutMs} ms ` +
          `(${group?.state ?? 'no group'}, ${group?.members.length ?? 0} members)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Generous: a healthy loop moves thousands of messages a second; a stalled one moves none. */
function runTimeoutMs(messages: number): number {
  return 30_000 + messages;
}
