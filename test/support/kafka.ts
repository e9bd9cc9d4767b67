import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';

/**
 * Kafka runs in the tests use a 1.5 s session timeout (the suite's broker allows 500 ms): every
 * crashed worker holds its partitions (real clock) or its incarnation's group (virtual clock) until
 * its session expires, the run's cleanup waits for that, and crash cells kill ten.
 */
export const KAFKA_CELL_ARGS = ['--kafka-session-timeout', '1500'];

/** An admin view of the suite's broker, for checks on what a run left behind. */
export async function kafkaNamesWith(
  prefix: string,
  brokers = inject('kafkaBrokers'),
): Promise<string[]> {
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((name) => name.includes(prefix));
    const groups = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((name) => name.includes(prefix));
    return [...topics, ...groups];
  } finally {
    await admin.disconnect();
  }
}

/**
 * What is left of a run's topics and groups once its deletions have shown: Kafka deletes a topic
 * asynchronously, and one marked for deletion may still be listed a moment (longer on a busy
 * machine). Waits, bounded, for the list to empty; what is still there at the bound is returned,
 * so a cleanup that never asked for the deletion still fails.
 */
export async function kafkaNamesLeft(prefix: string, boundMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + boundMs;
  let left = await kafkaNamesWith(prefix);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = await kafkaNamesWith(prefix);
  }
  return left;
}

/**
 * Every record value of a topic as a consumer with `isolation` sees it. A plain record ("probe")
 * is first written to every partition, after everything else; the read ends when each
 * partition's probe has been seen (offsets alone cannot tell: transaction markers take offsets but
 * are never handed to a consumer).
 */
export async function readTopic(
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted',
  brokers = inject('kafkaBrokers'),
): Promise<string[]> {
  const PROBE = 'probe';
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const partitions = (await admin.fetchTopicOffsets(topic)).map((end) => end.partition);
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: partitions.map((partition) => ({ value: PROBE, partition })),
  });
  await producer.disconnect();

  const consumer = kafka.consumer({
    groupId: `semlab-test-reader-${process.pid}-${Date.now()}`,
    readUncommitted: isolation === 'read_uncommitted',
  });
  const values: string[] = [];
  const probed = new Set<number>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`could not read ${topic} to its end`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const value = message.value?.toString() ?? '';
          if (value !== PROBE) return void values.push(value);
          probed.add(partition);
          if (probed.size === partitions.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

/** Deletes what a `--keep` run left: its topics and groups. */
export async function deleteKept(runId: string, brokers = inject('kafkaBrokers')): Promise<void> {
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = await kafkaNamesWith(runId, brokers);
    const topics = new Set(await admin.listTopics());
    await admin.deleteGroups(names.filter((name) => !topics.has(name))).catch(() => undefined);
    await admin.deleteTopics({ topics: names.filter((name) => topics.has(name)) });
  } finally {
    await admin.disconnect();
  }
}

/** How many partitions a topic has. */
export async function partitionsOf(
  topic: string,
  brokers = inject('kafkaBrokers'),
): Promise<number> {
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}
