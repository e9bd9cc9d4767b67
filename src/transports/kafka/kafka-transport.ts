import { InfrastructureError } from '../../shared/errors.js';
import type { EffectRecord } from '../../shared/records.js';
import { AsyncQueue } from '../../util/async-queue.js';
import { withDeadline } from '../../util/deadline.js';
import type {
  AckMessage,
  DispatcherLink,
  KafkaSettings,
  RoutedDispatcherLink,
  Transport,
  TransportContext,
  WorkerLink,
  WorkMessage,
} from '../contract.js';
import { decodeAck, decodeWork, encodeAck, encodeWork } from '../wire.js';
import {
  BatchConsumer,
  isSessionTimeoutRefusal,
  KafkaCluster,
  kafkaNames,
  type IncomingBatch,
  type KafkaNames,
  type KafkaTransaction,
  type RecordProducer,
} from './kafka-client.js';

/**
 * Kafka as the network between the dispatcher and the workers.
 *
 * Each run has its own topics: `semlab.<runId>.work` (one partition per worker by default), `.acks`
 * and, for transactions, `.results`. The workers are the members of one consumer group on the work
 * topic, so each partition is read by one worker at a time, and a dead worker's partitions move to
 * the others when the group rebalances (after the session timeout). The dispatcher writes epoch e
 * to partition (e − 1) mod P, so every send of one epoch lands in the same partition, in order.
 *
 * Two modes:
 * - `dispatcher` (default): the core lab over Kafka. A worker commits each fetched batch before it
 *   works on any of it, so Kafka never hands a record out twice; like a dead ZeroMQ socket, a dead
 *   worker takes the rest of its batch with it. The dispatcher's retries give the guarantee.
 * - `native`: the guarantee is Kafka's. The dispatcher sends each epoch once; what a dead worker
 *   had not committed is read again from the last committed offset by the partition's next owner.
 *   When the worker commits is set by the preset: before executing (at-most-once), after the batch
 *   is executed (at-least-once and the dedupe presets), or in one transaction with the effect and
 *   the ack (exactly-once-atomic; effects go to the results topic, read with read_committed).
 */
export const kafkaTransport: Transport = {
  name: 'kafka',
  summary:
    'Kafka topics and a consumer group (kafkajs); --kafka-mode native for Kafka’s own guarantee',

  async prepare(context) {
    const settings = kafkaSettingsOf(context);
    const cluster = new KafkaCluster(settings.brokers, `semlab-${context.runId}-prepare`, {
      failFast: true,
    });
    try {
      const brokerCount = await cluster.check(8_000);
      if (settings.crashBroker && brokerCount < 3) {
        throw new InfrastructureError(
          `--crash-broker needs a cluster of 3 brokers; ${settings.brokers} has ${brokerCount} (start one with \`scripts/services up kafka --brokers 3\`)`,
        );
      }
      const names = kafkaNames(context.runId);
      try {
        await cluster.createTopics(names, settings.partitions, context.workers, brokerCount);
      } catch (error) {
        // Some topics may exist (created, but their leaders never elected): a run that never
        // started leaves nothing behind. A problem here is dropped; the creation's is reported.
        await withDeadline(cluster.deleteRun(names, 0), CLEANUP_MS, 'too slow').catch(
          () => undefined,
        );
        throw error;
      }
    } finally {
      await cluster.close();
    }
  },

  async openDispatcher(context) {
    const settings = kafkaSettingsOf(context);
    const names = kafkaNames(context.runId);
    const cluster = new KafkaCluster(settings.brokers, `semlab-${context.runId}-dispatcher`);
    const producer = cluster.producer({ acks: settings.acks });
    await producer.connect();
    const link = new KafkaDispatcherLink(cluster, producer, names, settings);
    await link.start();
    return { link, address: context.runId };
  },

  /**
   * Virtual-clock runs (dispatcher mode only): the dispatcher addresses each record to a worker
   * incarnation by its key ("w2.1") and writes it to that worker's partition of the work topic
   * (worker i: partition (i − 1) mod P). Each incarnation reads that one partition in a consumer
   * group of its own, from the end offset it looked up before it reported ready, and skips records
   * keyed to anyone else. So a record is handed only to the incarnation it was addressed to: not
   * to the standby started ahead of a restart (it reads along, and skips), not to the incarnation
   * after a dead one (its records are keyed to the dead one). And every endpoint is reachable at
   * once, as a Redis list is: the dispatcher addresses an incarnation only after the supervisor
   * reported it ready, so every record for it lies past the offset it starts from.
   */
  async openRoutedDispatcher(context) {
    const settings = kafkaSettingsOf(context);
    if (settings.mode !== 'dispatcher')
      throw new Error('Kafka native mode redelivers by itself: it runs on the real clock only');
    const names = kafkaNames(context.runId);
    const cluster = new KafkaCluster(settings.brokers, `semlab-${context.runId}-dispatcher`);
    const producer = cluster.producer({ acks: settings.acks });
    await producer.connect();
    const link = new KafkaDispatcherLink(cluster, producer, names, settings);
    await link.start();
    return { link, address: context.runId };
  },

  redeliveryHorizonMs(context) {
    const settings = kafkaSettingsOf(context);
    if (settings.mode !== 'native') return undefined;
    // A dead worker's partitions wait out its session, then the group rebalances and the new
    // owner reads from the last commit. Past this horizon the dispatcher asks whether the group
    // still has uncommitted records (holdsNothing) before it gives an epoch up.
    return 2 * settings.sessionTimeoutMs + 3_000;
  },

  async openWorker(context, address, workerId, endpoint) {
    const settings = kafkaSettingsOf(context);
    const names = kafkaNames(address);
    const cluster = new KafkaCluster(settings.brokers, `semlab-${address}-${workerId}`);
    if (endpoint !== undefined)
      return openRoutedWorker(cluster, names, settings, workerId, endpoint);
    const transactional = settings.mode === 'native' && settings.commit === 'transaction';
    const producer = cluster.producer({
      acks: 'all',
      ...(transactional
        ? { transactionalId: names.transactionalId(workerId) }
        : { dropRefusedWrites: true }),
    });
    await producer.connect();
    const consumer = cluster.consumer({
      groupId: names.workersGroup,
      sessionTimeoutMs: settings.sessionTimeoutMs,
    });
    const link = new KafkaWorkerLink(
      cluster,
      producer,
      consumer,
      names,
      settings,
      transactional,
      ownPartition(workerId),
    );
    await link.start();
    return link;
  },

  async *readEffects(context) {
    const settings = kafkaSettingsOf(context);
    if (settings.mode !== 'native' || settings.commit !== 'transaction') return;
    yield* readCommittedEffects(context, settings);
  },

  async cleanup(context) {
    if (context.keep) return;
    const settings = kafkaSettingsOf(context);
    const cluster = new KafkaCluster(settings.brokers, `semlab-${context.runId}-cleanup`);
    // Groups may wait out a killed member's session; past that, and a margin for kafkajs's own
    // retries, a cluster that does not answer fails the cleanup instead of holding semlab.
    const membersGoneMs = settings.sessionTimeoutMs + 5_000;
    const withinMs = membersGoneMs + CLEANUP_MS;
    try {
      await withDeadline(
        cluster.deleteRun(kafkaNames(context.runId), membersGoneMs),
        withinMs,
        `Kafka at ${settings.brokers} did not finish deleting the run's topics and groups within ${withinMs / 1000} s`,
      );
    } finally {
      await cluster.close();
    }
  },

  async probe(context) {
    const cluster = new KafkaCluster(
      kafkaSettingsOf(context).brokers,
      `semlab-${context.runId}-probe`,
      {
        failFast: true,
      },
    );
    try {
      await cluster.check(5_000);
    } finally {
      await cluster.close();
    }
  },
};

/** Beyond any wait for group members: how long deleting a run's topics may take. */
const CLEANUP_MS = 20_000;

function kafkaSettingsOf(context: TransportContext): KafkaSettings {
  if (!context.kafka) throw new Error('the kafka transport needs kafka settings in the run plan');
  return context.kafka;
}

const IN_KAFKA = 'in Kafka';

/**
 * A worker incarnation of a virtual-clock run (see openRoutedDispatcher): it reads its worker's
 * partition of the work topic, in a group of its own, from the offset the partition ends at now.
 */
async function openRoutedWorker(
  cluster: KafkaCluster,
  names: KafkaNames,
  settings: KafkaSettings,
  workerId: string,
  endpoint: string,
): Promise<WorkerLink> {
  const partition = workPartitionOf(workerId, settings.partitions);
  const startAt = await cluster.endOffset(names.work, partition);
  const producer = cluster.producer({ acks: 'all', dropRefusedWrites: true });
  await producer.connect();
  const consumer = cluster.consumer({
    groupId: names.incarnationGroup(endpoint),
    sessionTimeoutMs: settings.sessionTimeoutMs,
    onlyPartition: partition,
  });
  const link = new KafkaWorkerLink(
    cluster,
    producer,
    consumer,
    names,
    settings,
    false,
    ownPartition(workerId),
    endpoint,
  );
  await link.start(startAt);
  return link;
}

/** Virtual-clock runs: the work partition worker "w2" reads, and its endpoints are written to. */
function workPartitionOf(workerId: string, partitions: number): number {
  return ownPartition(workerId) % partitions;
}

/** Worker "w3" writes its acks and effects to partition 2 of the acks and results topics. */
function ownPartition(workerId: string): number {
  const index = Number(/(\d+)$/.exec(workerId)?.[1]);
  if (!Number.isInteger(index) || index < 1) throw new Error(`unexpected worker id '${workerId}'`);
  return index - 1;
}

class KafkaDispatcherLink implements DispatcherLink, RoutedDispatcherLink {
  private readonly acksQueue = new AsyncQueue<AckMessage>();
  private readonly consumer: BatchConsumer;

  constructor(
    private readonly cluster: KafkaCluster,
    private readonly producer: RecordProducer,
    private readonly names: KafkaNames,
    private readonly settings: KafkaSettings,
  ) {
    this.consumer = cluster.consumer({
      groupId: names.dispatcherGroup,
      sessionTimeoutMs: settings.sessionTimeoutMs,
    });
  }

  /**
   * The next ack offset to hand on, per partition. The dispatcher's group commits nothing, so a
   * rebalance (a session that timed out on a starved machine) makes its consumer read the acks
   * topic again from the start: what it already handed on is skipped, or every ack would reach
   * the dispatcher twice, through the fault layer, and change a run's counts.
   */
  private readonly nextAckOffset = new Map<number, number>();

  async start(): Promise<void> {
    await this.consumer.start(
      this.names.acks,
      async (batch) => {
        const from = this.nextAckOffset.get(batch.partition) ?? 0;
        for (const record of batch.records) {
          if (record.offset < from) continue;
          this.acksQueue.push(decodeAck(record.value, IN_KAFKA));
        }
        const last = batch.records.at(-1)?.offset;
        if (last !== undefined && last + 1 > from)
          this.nextAckOffset.set(batch.partition, last + 1);
        return last;
      },
      (error) =>
        this.acksQueue.end(
          new InfrastructureError(`lost Kafka while reading acks: ${error.message}`),
        ),
    );
  }

  async send(message: WorkMessage): Promise<void> {
    // "Taken by the transport" = queued in the producer, which sends each tick's records in one
    // request; a failed request is reported by the next send.
    this.producer.write(this.names.work, {
      value: encodeWork(message),
      partition: (message.epoch - 1) % this.settings.partitions,
    });
  }

  /** Virtual-clock runs: to the incarnation `endpoint` ("w2.1"), in its worker's partition. */
  async sendTo(endpoint: string, message: WorkMessage): Promise<void> {
    const worker = endpoint.split('.')[0] ?? endpoint;
    this.producer.write(this.names.work, {
      key: endpoint,
      value: encodeWork(message),
      partition: workPartitionOf(worker, this.settings.partitions),
    });
  }

  /**
   * A worker incarnation starts reading from where its partition ended before it reported ready
   * (openRoutedWorker), and is addressed only after that: a record for it is never skipped.
   */
  async reachable(): Promise<void> {}

  acks(): AsyncIterable<AckMessage> {
    return this.acksQueue;
  }

  async holdsNothing(): Promise<boolean> {
    await this.producer.drain();
    return (await this.cluster.uncommitted(this.names.workersGroup, this.names.work)) === 0;
  }

  async waitForWorkers(count: number, timeoutMs: number): Promise<number> {
    // Ready when the group has settled with every worker in it: work sent during the first
    // rebalances would all go to whoever joined first.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const members = await this.cluster.stableMembers(this.names.workersGroup).catch(() => 0);
      if ((members ?? 0) >= count || Date.now() >= deadline) return members ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    this.acksQueue.end();
    await this.producer.drain().catch(() => undefined);
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
    await this.cluster.close();
  }
}

/** A record handed to the worker, and how to tell the consumer the worker is done with it. */
interface Delivery {
  readonly work: WorkMessage;
  readonly partition: number;
  readonly offset: number;
  readonly done: () => void;
}

class KafkaWorkerLink implements WorkerLink {
  private readonly handoff = new AsyncQueue<Delivery>();
  private current: Delivery | undefined;
  private transaction: KafkaTransaction | undefined;
  private closed = false;
  /** Routed: the offset after the last record handed over. */
  private readUpTo = 0;
  readonly recordEffect?: (message: WorkMessage, worker: string) => Promise<void>;

  constructor(
    private readonly cluster: KafkaCluster,
    private readonly producer: RecordProducer,
    private readonly consumer: BatchConsumer,
    private readonly names: KafkaNames,
    private readonly settings: KafkaSettings,
    private readonly transactional: boolean,
    /** This worker's partition of the acks and results topics. */
    private readonly partition: number,
    /** Virtual-clock runs: this incarnation's name; records keyed to another are skipped. */
    private readonly endpoint?: string,
  ) {
    if (transactional) {
      this.recordEffect = async (message, worker) => {
        this.transaction ??= await this.producer.transaction();
        await this.transaction.write(
          this.names.results,
          this.partition,
          `${message.epoch}:${message.attempt}:${worker}:${Date.now()}`,
        );
      };
    }
  }

  async start(startAt?: number): Promise<void> {
    await this.consumer.start(
      this.names.work,
      (batch) => this.handleBatch(batch),
      (error) => {
        const hint = isSessionTimeoutRefusal(error)
          ? ` (the brokers refuse a session timeout of ${this.settings.sessionTimeoutMs} ms: pass --kafka-session-timeout within their group.min/max.session.timeout.ms)`
          : '';
        this.handoff.end(
          new InfrastructureError(`lost Kafka while waiting for work: ${error.message}${hint}`),
        );
      },
      startAt,
    );
  }

  /** Hands one fetched batch to the worker, record by record, committing as the mode says. */
  private async handleBatch(batch: IncomingBatch): Promise<number | undefined> {
    const last = batch.records.at(-1);
    if (!last || this.closed) return undefined;
    // A routed incarnation's group is its own and ends with it: it commits nothing (a commit is a
    // round trip per record, while the virtual clock waits) and remembers in memory how far it has
    // read, which outlives a restart of the kafkajs consumer within this process.
    const commitMode =
      this.endpoint !== undefined
        ? 'never'
        : this.settings.mode === 'dispatcher'
          ? 'on-receipt'
          : this.settings.commit;
    // At-most-once: the whole batch is taken for good before any of it is executed.
    if (commitMode === 'on-receipt')
      await this.consumer.commit(batch.topic, batch.partition, last.offset + 1);
    let handled: number | undefined;
    try {
      for (const record of batch.records) {
        if (this.closed || !batch.stillOwned()) break;
        if (
          this.endpoint !== undefined &&
          (record.key !== this.endpoint || record.offset < this.readUpTo)
        ) {
          // Addressed to another incarnation of this worker (a dead one, or this is a standby),
          // or read before a restart of the consumer.
          handled = record.offset;
          continue;
        }
        this.readUpTo = record.offset + 1;
        await new Promise<void>((done) =>
          this.handoff.push({
            work: decodeWork(record.value, IN_KAFKA),
            partition: batch.partition,
            offset: record.offset,
            done,
          }),
        );
        handled = record.offset;
        await batch.heartbeat();
      }
    } finally {
      // A heartbeat that finds a rebalance throws out of this loop; the rebalance cannot finish
      // before this member rejoins, so this is where its commits must become visible first.
      if (commitMode === 'transaction' && handled !== undefined && !this.closed) {
        await this.untilCommitVisible(batch.topic, batch.partition, handled + 1);
      }
    }
    if (commitMode === 'after-processing' && handled !== undefined && !this.closed) {
      // At-least-once: the batch's position moves only after its records were executed and
      // acked. If a rebalance took the partition meanwhile the commit is refused, and the next
      // owner reads those records again: duplicates, which at-least-once allows.
      await this.consumer.commit(batch.topic, batch.partition, handled + 1).catch(() => undefined);
    }
    return handled;
  }

  /**
   * Waits until the group's committed offset of `partition` reads `nextOffset`. An offset sent in
   * a transaction becomes visible to the group only once the transaction coordinator has written
   * its commit markers, a moment after commitTransaction returns; a new owner that asked for the
   * offset before that would start from the older one and execute committed work again. Java
   * clients ask with require_stable (KIP-447); kafkajs cannot, so the old owner waits here, before
   * it lets the group rebalance.
   */
  private async untilCommitVisible(
    topic: string,
    partition: number,
    nextOffset: number,
  ): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (
      (await this.cluster.committedOffset(this.names.workersGroup, topic, partition)) < nextOffset
    ) {
      if (Date.now() > deadline) {
        throw new InfrastructureError(
          `the transactional commit of ${topic} partition ${partition} up to ${nextOffset} did not become visible within 10 s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async *deliveries(): AsyncIterable<WorkMessage> {
    for await (const delivery of this.handoff) {
      this.current = delivery;
      yield delivery.work;
    }
  }

  async ack(ack: AckMessage): Promise<void> {
    const delivery = this.current;
    this.current = undefined;
    if (this.transactional && delivery) {
      // The ack, the consumed offset and the effect (recordEffect) commit together, or not at all.
      const transaction = (this.transaction ??= await this.producer.transaction());
      this.transaction = undefined;
      await transaction.write(this.names.acks, this.partition, encodeAck(ack));
      await transaction.consumed(
        this.names.workersGroup,
        this.names.work,
        delivery.partition,
        delivery.offset + 1,
      );
      await transaction.commit();
    } else {
      this.producer.write(this.names.acks, { value: encodeAck(ack), partition: this.partition });
    }
    delivery?.done();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.current?.done();
    this.handoff.end();
    await this.producer.drain().catch(() => undefined);
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
    await this.cluster.close();
  }
}

/**
 * The committed effects of a transactional run. Every worker's transactional id is first fenced
 * (which aborts a transaction a killed worker left open), then an end marker is written after
 * everything; reading with read_committed up to the marker sees every committed effect, and no
 * aborted one.
 */
async function* readCommittedEffects(
  context: TransportContext,
  settings: KafkaSettings,
): AsyncIterable<EffectRecord> {
  const names = kafkaNames(context.runId);
  const cluster = new KafkaCluster(settings.brokers, `semlab-${context.runId}-reader`);
  const END = 'end';
  try {
    for (let i = 1; i <= context.workers; i++) {
      const fence = cluster.producer({
        acks: 'all',
        transactionalId: names.transactionalId(`w${i}`),
      });
      await fence.connect();
      await fence.disconnect();
    }
    const marker = cluster.producer({ acks: 'all' });
    await marker.connect();
    const partitions = Array.from({ length: context.workers }, (_, partition) => partition);
    await marker.send(
      names.results,
      partitions.map((partition) => ({ value: END, partition })),
    );
    await marker.disconnect();

    const effects = new AsyncQueue<EffectRecord>();
    const ended = new Set<number>();
    const reader = cluster.consumer({ groupId: names.readerGroup, sessionTimeoutMs: 10_000 });
    const timer = setTimeout(
      () =>
        effects.end(
          new InfrastructureError(
            `the results topic ${names.results} was not read to its end within 60 s`,
          ),
        ),
      60_000,
    );
    await reader.start(
      names.results,
      async (batch) => {
        for (const record of batch.records) {
          if (record.value === END) {
            ended.add(batch.partition);
            if (ended.size === partitions.length) effects.end();
            break;
          }
          const [epoch, attempt, worker, t] = record.value.split(':');
          effects.push({
            epoch: Number(epoch),
            attempt: Number(attempt),
            worker: worker ?? '?',
            t: Number(t),
          });
        }
        return batch.records.at(-1)?.offset;
      },
      (error) =>
        effects.end(
          new InfrastructureError(`lost Kafka reading ${names.results}: ${error.message}`),
        ),
    );
    try {
      yield* effects;
    } finally {
      clearTimeout(timer);
      await reader.disconnect();
    }
  } finally {
    await cluster.close();
  }
}
