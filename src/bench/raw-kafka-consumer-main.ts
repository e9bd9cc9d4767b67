/**
 * A raw Kafka consumer: `node raw-kafka-consumer-main.js <brokers> <name prefix> <worker id>`. A
 * member of the consumers' group on the work topic that commits each fetched batch, then writes an
 * ack "n:1:<worker id>" per record to its own partition of the acks topic: a semlab worker over
 * Kafka in dispatcher mode, minus its journal, decoding and fault layer.
 */
import { failToBench, followBench, tellBench } from './protocol.js';
import {
  leaveOnSigterm,
  lingeringSender,
  rawConsumer,
  rawKafka,
  rawKafkaNames,
  rawProducer,
} from './raw-kafka-client.js';

async function main(): Promise<void> {
  const [brokers, prefix, workerId] = process.argv.slice(2);
  if (!brokers || !prefix || !workerId) {
    throw new Error('usage: raw-kafka-consumer-main <brokers> <prefix> <worker id>');
  }
  followBench();
  // Worker "w3" writes its acks to partition 2, as semlab's worker w3 does.
  const ownPartition = Number(/(\d+)$/.exec(workerId)?.[1]) - 1;
  if (!(ownPartition >= 0)) throw new Error(`unexpected worker id '${workerId}'`);
  const names = rawKafkaNames(prefix);
  const kafka = rawKafka(brokers, `${prefix}${workerId}`);
  const producer = rawProducer(kafka);
  await producer.connect();
  const consumer = rawConsumer(kafka, names.workersGroup);
  leaveOnSigterm([consumer, producer]);
  const sendAcks = lingeringSender(producer, names.acks, (error) =>
    failToBench('raw kafka consumer', error),
  );
  await consumer.connect();
  await consumer.subscribe({ topic: names.work, fromBeginning: true });
  consumer.on(consumer.events.CRASH, (event) =>
    failToBench('raw kafka consumer', `crashed: ${String(event.payload.error)}`),
  );
  // Ready once the group has taken this member in; the bench then waits for the whole group to be
  // stable before it lets the producer start, as semlab's dispatcher waits for its workers.
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const last = batch.messages.at(-1);
      if (!last) return;
      // Commit on receipt, before any record of the batch is handled, as semlab's worker does in
      // dispatcher mode: that round trip is what the transport costs, not what semlab adds.
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
      ]);
      // The batch's acks, not awaited, through the lingering sender: in one request, or with the
      // acks of the batches fetched while the previous request was in flight (semlab's worker
      // queues each ack in its RecordProducer, which does the same). The next fetch does not wait
      // for the broker's answer. A failed request still fails the measurement.
      sendAcks(
        batch.messages.map((message) => ({
          value: `${message.value?.toString('latin1') ?? ''}:${workerId}`,
          partition: ownPartition,
        })),
      );
    },
  });
  await joined;
  await tellBench({ type: 'ready' });
}

main().catch((error: unknown) => failToBench('raw kafka consumer', error));
