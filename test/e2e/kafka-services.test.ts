import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { startLocalKafka } from '../../src/services/local-kafka.js';

/**
 * The groundwork of the Kafka transport: a real Apache Kafka 3.9 broker in KRaft mode, fetched
 * from Maven Central and started on free loopback ports, answers a real client, and is gone after.
 */
describe('a local Kafka cluster', () => {
  it(
    'starts one KRaft node, carries a record from a producer to a consumer group, and stops',
    { timeout: 240_000 },
    async () => {
      const cluster = await startLocalKafka({ brokers: 1 });
      try {
        const kafka = new Kafka({
          brokers: cluster.brokers.split(','),
          logLevel: logLevel.NOTHING,
        });
        const admin = kafka.admin();
        await admin.connect();
        await admin.createTopics({
          topics: [{ topic: 'semlab.test.work', numPartitions: 1 }],
          waitForLeaders: true,
        });
        await admin.disconnect();

        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        await producer.send({ topic: 'semlab.test.work', acks: -1, messages: [{ value: '17:1' }] });
        await producer.disconnect();

        const consumer = kafka.consumer({ groupId: 'semlab.test.workers' });
        await consumer.connect();
        await consumer.subscribe({ topic: 'semlab.test.work', fromBeginning: true });
        const received = await new Promise<string>((resolve) => {
          void consumer.run({
            eachMessage: async ({ message }) => resolve(message.value?.toString() ?? ''),
          });
        });
        await consumer.disconnect();
        expect(received).toBe('17:1');
      } finally {
        await cluster.stop();
      }
      const pids = cluster.pids;
      expect(pids.length).toBe(1);
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
    },
  );
});

/** A process that exists and has not exited (a zombie, exited but not yet reaped, is dead). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
