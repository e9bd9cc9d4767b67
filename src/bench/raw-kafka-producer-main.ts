/**
 * The raw Kafka producer: `node raw-kafka-producer-main.js <brokers> <name prefix>`. It keeps
 * `window` records "n:1" unacknowledged on the work topic (record n to partition (n − 1) mod P, as
 * semlab's dispatcher writes epoch n) and reads the consumers' acks from the acks topic in a group
 * of its own: semlab's dispatcher over Kafka, minus everything semlab adds (journal, fault layer,
 * in-flight bookkeeping, timeouts, retries).
 */
import type { Consumer, Producer } from 'kafkajs';
import { failToBench, followBench, nextGo, tellBench, type RawLoadSettings } from './protocol.js';
import {
  leaveOnSigterm,
  lingeringSender,
  rawConsumer,
  rawKafka,
  rawKafkaNames,
  rawProducer,
} from './raw-kafka-client.js';

async function main(): Promise<void> {
  const [brokers, prefix] = process.argv.slice(2);
  if (!brokers || !prefix) throw new Error('usage: raw-kafka-producer-main <brokers> <prefix>');
  followBench();
  const names = rawKafkaNames(prefix);
  const kafka = rawKafka(brokers, `${prefix}producer`);
  const producer = rawProducer(kafka);
  await producer.connect();
  const consumer = rawConsumer(kafka, names.producerGroup);
  leaveOnSigterm([consumer, producer]);
  const acks = new AckCounter();
  await startAckConsumer(consumer, names.acks, acks);
  await tellBench({ type: 'ready' });

  const go = await nextGo();
  const durationMs = await roundTrips(producer, names.work, acks, go);
  await tellBench({
    type: 'done',
    durationMs,
    maxRssKb: process.resourceUsage().maxRSS,
    acked: acks.distinct,
    duplicateAcks: acks.duplicates,
  });
  await Promise.all([consumer.disconnect(), producer.disconnect()]).catch(() => undefined);
  process.exit(0);
}

/**
 * Counts acks per message, so the bench can check that every message came back once: a raw loop
 * that lost or doubled records would measure something else. Parsing each ack's number is no more
 * than semlab's dispatcher does with every ack it decodes.
 */
class AckCounter {
  distinct = 0;
  duplicates = 0;
  private seen = new Uint8Array(0);
  private waiters: (() => void)[] = [];

  expect(messages: number): void {
    this.seen = new Uint8Array(messages + 1);
  }

  add(value: string): void {
    const n = Number.parseInt(value, 10);
    if (!(n >= 1 && n < this.seen.length)) throw new Error(`unexpected ack '${value}'`);
    if (this.seen[n]) this.duplicates++;
    else {
      this.seen[n] = 1;
      this.distinct++;
    }
  }

  /** Wakes everyone waiting for acks: the sender (room in the window) and the end of the run. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Joins the producer's group on the acks topic and counts every ack it fetches. Like semlab's
 * dispatcher it never commits (the group lives for one measurement). Resolves once the group has
 * given this member its partitions, so that no ack can arrive before anyone reads.
 */
async function startAckConsumer(
  consumer: Consumer,
  topic: string,
  acks: AckCounter,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  let crash: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  consumer.on(consumer.events.CRASH, (event) =>
    crash(new Error(`ack consumer crashed: ${String(event.payload.error)}`)),
  );
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) acks.add(message.value?.toString('latin1') ?? '');
      acks.notify();
    },
  });
  crashed.catch((error: unknown) => failToBench('raw kafka producer', error));
  await Promise.race([joined, crashed]);
}

/**
 * Writes `messages` records with at most `window` unacknowledged, and returns the milliseconds from
 * the first write to the last ack. Each time acks make room, every record the window allows at the
 * end of that tick is written at once, not awaited (the window, not the broker's answer, bounds the
 * sender); lingeringSender puts what is written while a request is in flight in the next one, as
 * semlab's RecordProducer does. A failed request still fails the measurement.
 */
async function roundTrips(
  producer: Producer,
  topic: string,
  acks: AckCounter,
  load: RawLoadSettings,
): Promise<number> {
  acks.expect(load.messages);
  const partitions = load.workers;
  let failSend: (error: unknown) => void = () => undefined;
  const sendFailed = new Promise<never>((_, reject) => (failSend = reject));
  const send = lingeringSender(producer, topic, (error) => failSend(error));

  const sendAll = async (): Promise<void> => {
    let sent = 0;
    while (sent < load.messages) {
      const room = Math.min(load.window - (sent - acks.distinct), load.messages - sent);
      if (room <= 0) {
        await acks.next();
        // What the rest of this tick brings (the other partitions' ack batches of the same fetch)
        // joins the same request: RecordProducer's batching, which semlab's dispatcher gets.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const records = [];
      for (let i = 0; i < room; i++) {
        sent++;
        records.push({ value: `${sent}:1`, partition: (sent - 1) % partitions });
      }
      send(records);
    }
  };
  const ackAll = async (): Promise<void> => {
    while (acks.distinct < load.messages) await acks.next();
  };

  const startedAt = performance.now();
  await Promise.race([Promise.all([sendAll(), ackAll()]), sendFailed]);
  return performance.now() - startedAt;
}

main().catch((error: unknown) => failToBench('raw kafka producer', error));
