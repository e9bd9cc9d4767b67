/**
 * The one file of the Kafka transport that knows kafkajs. kafkajs 2.2.4 is unmaintained but speaks
 * the protocol of Kafka 3.9; everything semlab needs from a Kafka client is here, in semlab's own
 * words (a cluster with run topics, a batching producer, a consumer that hands over fetched
 * batches, transactions), so that a maintained client can replace it by rewriting this file only.
 */
import {
  AssignerProtocol,
  Kafka,
  logLevel,
  type PartitionAssigner,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type Producer,
  type Transaction,
} from 'kafkajs';
import { localized } from '../../i18n/catalog.js';
import { InfrastructureError } from '../../shared/errors.js';
import { acceptsConnections } from '../../services/tcp-probe.js';
import { clusterView, type ClusterView } from './cluster-view.js';

/** Everything one run creates in Kafka, all named after the run. */
export interface KafkaNames {
  /** Work records, "epoch:attempt", one partition per worker by default. */
  readonly work: string;
  /** Acks from the workers, "epoch:attempt:worker"; one partition per worker (see createTopics). */
  readonly acks: string;
  /** Native transactional mode: the effect ledger, "epoch:attempt:worker:t"; one partition per worker. */
  readonly results: string;
  /** The workers' consumer group. */
  readonly workersGroup: string;
  /** The dispatcher's group on the acks topic. */
  readonly dispatcherGroup: string;
  /** The group that reads the results topic back after the run. */
  readonly readerGroup: string;
  /** Transactional ids are per worker, so a restarted worker fences its dead incarnation. */
  transactionalId(workerId: string): string;
  /**
   * Virtual-clock runs: each worker incarnation ("w2.1") reads its partition in a group of its
   * own, so no incarnation (a standby started ahead, a dead one's) ever takes another's records.
   */
  incarnationGroup(endpoint: string): string;
  /** Every group of the run starts with this (cleanup finds the incarnations' groups by it). */
  readonly groupPrefix: string;
}

export function kafkaNames(runId: string): KafkaNames {
  const prefix = `semlab.${runId}`;
  return {
    work: `${prefix}.work`,
    acks: `${prefix}.acks`,
    results: `${prefix}.results`,
    workersGroup: `${prefix}.workers`,
    dispatcherGroup: `${prefix}.dispatcher`,
    readerGroup: `${prefix}.reader`,
    transactionalId: (workerId) => `${prefix}.${workerId}`,
    incarnationGroup: (endpoint) => `${prefix}.in.${endpoint}`,
    groupPrefix: `${prefix}.`,
  };
}

/** How to get a cluster, for every error that says Kafka is not there. */

/**
 * About 15 s of retries (100, 200, 400, 800, 1600 ms, then 2 s each): long enough to ride out the
 * death of a broker (its partitions get new leaders once the controller fences it, after
 * broker.session.timeout.ms, 9 s by default; see --crash-broker), short enough that a run whose
 * Kafka is gone fails instead of being retried by kafkajs for minutes.
 */
const RETRY = { retries: 11, initialRetryTime: 100, maxRetryTime: 2000 };
/**
 * Producers wait longer: a killed partition leader is replaced only once the controller has given
 * up on it (broker.session.timeout.ms, 6 s on our clusters), and a loaded machine adds to that.
 * About a minute of retries rides out a leader crash; a write refused after that is a failure.
 */
const PRODUCER_RETRY = { retries: 30, initialRetryTime: 100, maxRetryTime: 2000 };

export class KafkaCluster {
  private readonly kafka: Kafka;
  private adminClient: Admin | undefined;

  constructor(
    readonly brokers: string,
    clientId: string,
    options: { failFast?: boolean } = {},
  ) {
    this.kafka = new Kafka({
      clientId,
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: options.failFast ? 1500 : 3000,
      retry: options.failFast ? { retries: 1, initialRetryTime: 200, maxRetryTime: 500 } : RETRY,
    });
  }

  private async admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.adminClient = admin;
    }
    return this.adminClient;
  }

  /** The number of brokers, within `timeoutMs`, or an InfrastructureError naming the brokers. */
  async check(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
    });
    try {
      const cluster = await Promise.race([
        this.admin().then((admin) => admin.describeCluster()),
        timeout,
      ]);
      return cluster.brokers.length;
    } catch (error) {
      // A broker that takes the connection and answers nothing is frozen, not absent.
      const timedOut = (error as Error).message.startsWith('no answer within');
      const silent = timedOut ? await firstAccepting(this.brokers.split(',')) : undefined;
      if (silent) {
        throw new InfrastructureError(
          localized('kafkaNotAnswering', {
            brokers: this.brokers,
            broker: silent,
            seconds: Math.round(timeoutMs / 1000),
          }),
        );
      }
      // The how-to-start advice is part of the catalog message (src/i18n), in the reader's language.
      throw new InfrastructureError(
        localized('kafkaUnreachable', { brokers: this.brokers, why: (error as Error).message }),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Creates the run's topics. With three or more brokers the work and acks topics are replicated
   * three times and a write with acks=all needs two replicas in sync (the lesson of the leader
   * crash); with fewer, one copy.
   *
   * Acks and results get one partition per worker, and each worker writes only to its own: then the
   * transactions in a partition never interleave (a restarted worker fences its dead incarnation's
   * open transaction before it writes). kafkajs 2.2.4 drops aborted records correctly only when
   * aborted transactions in a partition do not overlap: it walks the broker's list of aborted
   * transactions assuming they start in the order they ended.
   */
  async createTopics(
    names: KafkaNames,
    partitions: number,
    workers: number,
    brokerCount: number,
  ): Promise<void> {
    const replicated = brokerCount >= 3;
    const config = replicated
      ? [
          { name: 'min.insync.replicas', value: '2' },
          // The lesson is about acknowledged writes, not about electing a stale replica.
          { name: 'unclean.leader.election.enable', value: 'false' },
        ]
      : [];
    const topic = (name: string, numPartitions: number) => ({
      topic: name,
      numPartitions,
      replicationFactor: replicated ? 3 : 1,
      configEntries: config,
    });
    const admin = await this.admin();
    const topics = [
      topic(names.work, partitions),
      topic(names.acks, workers),
      topic(names.results, workers),
    ];
    // kafkajs's own waitForLeaders gives up when the broker it asks does not know the new topic
    // yet (UNKNOWN_TOPIC_OR_PARTITION), which with three brokers happens in one run of three.
    await admin.createTopics({ waitForLeaders: false, topics });
    await this.waitForLeaders(
      topics.map((t) => t.topic),
      15_000,
    );
  }

  /** Until every partition of `topics` has a leader that every broker asked knows about. */
  private async waitForLeaders(topics: string[], timeoutMs: number): Promise<void> {
    const admin = await this.admin();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
      const led = metadata?.topics.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      if (led) return;
      if (Date.now() > deadline) {
        throw new InfrastructureError(
          `the run's topics in Kafka at ${this.brokers} got no leaders within ${timeoutMs / 1000} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Deletes the run's topics and groups; what is already gone is not an error. A group cannot be
   * deleted while it has members, and a killed worker (Ctrl-C, a crash) stays a member until its
   * session expires: so this keeps trying for up to `membersGoneWithinMs`.
   */
  async deleteRun(names: KafkaNames, membersGoneWithinMs: number): Promise<void> {
    const admin = await this.admin();
    const deadline = Date.now() + membersGoneWithinMs;
    for (;;) {
      // The run's fixed groups, and one per worker incarnation on the virtual clock.
      const groups = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(names.groupPrefix));
      if (groups.length === 0) break;
      try {
        await admin.deleteGroups(groups);
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new InfrastructureError(
            `could not delete the consumer groups ${groups.join(', ')}: ${(error as Error).message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const existingTopics = new Set(await admin.listTopics());
    const topics = [names.work, names.acks, names.results].filter((t) => existingTopics.has(t));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  }

  /** Topics and groups whose names start with `prefix` (for hygiene checks). */
  async namesStartingWith(prefix: string): Promise<string[]> {
    const admin = await this.admin();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    return [...topics, ...groups];
  }

  /** Members of a group once it is stable (a rebalance is not in progress), else undefined. */
  async stableMembers(groupId: string): Promise<number | undefined> {
    const admin = await this.admin();
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    return group?.state === 'Stable' ? group.members.length : undefined;
  }

  /** Records of `topic` not yet committed by `groupId` (waiting, or held by a consumer). */
  async uncommitted(groupId: string, topic: string): Promise<number> {
    const admin = await this.admin();
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    let lag = 0;
    for (const end of ends) {
      const done = committed?.partitions.find((p) => p.partition === end.partition);
      const doneOffset = done && Number(done.offset) >= 0 ? Number(done.offset) : Number(end.low);
      lag += Math.max(0, Number(end.high) - doneOffset);
    }
    return lag;
  }

  /** The offset the next record written to `partition` of `topic` will get (its high watermark). */
  async endOffset(topic: string, partition: number): Promise<number> {
    const admin = await this.admin();
    const ends = await admin.fetchTopicOffsets(topic);
    const end = ends.find((e) => e.partition === partition);
    if (!end) throw new InfrastructureError(`${topic} has no partition ${partition}`);
    return Number(end.high);
  }

  /** Where `groupId` will resume reading `partition` of `topic`: its committed offset (-1: none). */
  async committedOffset(groupId: string, topic: string, partition: number): Promise<number> {
    const admin = await this.admin();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offset = committed?.partitions.find((p) => p.partition === partition)?.offset;
    return offset === undefined ? -1 : Number(offset);
  }

  /** The broker (node id and address) leading `partition` of `topic`. */
  async leaderOf(topic: string, partition: number): Promise<{ nodeId: number; address: string }> {
    const admin = await this.admin();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const leader = metadata.topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
    const broker = (await admin.describeCluster()).brokers.find((b) => b.nodeId === leader);
    if (leader === undefined || !broker)
      throw new InfrastructureError(`partition ${partition} of ${topic} has no leader`);
    return { nodeId: leader, address: `${broker.host}:${broker.port}` };
  }

  /**
   * The cluster's brokers and the partitions of `topics` (every topic whose name starts with
   * `prefix` when no list is given) with leader, replicas and in-sync set, as ./cluster-view.ts
   * models them. Topics that do not exist are left out. A partition without any leader (none of
   * its replicas alive) cannot be shown: kafkajs then fails the whole read (LEADER_NOT_AVAILABLE).
   */
  async replicas(select: { topics: readonly string[] } | { prefix: string }): Promise<ClusterView> {
    const admin = await this.admin();
    // kafkajs refuses a whole metadata answer in which one partition has no leader; a leader
    // election after a broker's death lasts a moment, so that is waited out (for up to 5 s).
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        const existing = await admin.listTopics();
        const topics =
          'topics' in select
            ? existing.filter((t) => select.topics.includes(t))
            : existing.filter((t) => t.startsWith(select.prefix));
        const cluster = await admin.describeCluster();
        const metadata =
          topics.length > 0 ? await admin.fetchTopicMetadata({ topics }) : { topics: [] };
        return clusterView({
          brokers: cluster.brokers,
          controller: cluster.controller,
          topics: metadata.topics,
        });
      } catch (error) {
        if ((error as { type?: string }).type !== 'LEADER_NOT_AVAILABLE' || Date.now() > deadline)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  producer(options: ProducerOptions): RecordProducer {
    return new RecordProducer(this.kafka, options);
  }

  consumer(options: ConsumerOptions): BatchConsumer {
    return new BatchConsumer(this.kafka, options);
  }

  async close(): Promise<void> {
    await this.adminClient?.disconnect().catch(() => undefined);
    this.adminClient = undefined;
  }
}

export interface ProducerOptions {
  readonly acks: 'all' | '1' | '0';
  /** Makes the producer transactional (and idempotent); one id per worker. */
  readonly transactionalId?: string;
  /**
   * A write Kafka refused after every retry is dropped, like a message on a lossy network,
   * instead of failing the next write. For the workers' acks: a lost ack is covered by the
   * dispatcher's timeout (or by Kafka's redelivery in native mode), never counted as anything.
   */
  readonly dropRefusedWrites?: boolean;
}

const ACKS = { all: -1, '1': 1, '0': 0 } as const;

/** One record to write: a text value, to a partition or (none given) to the partitioner's choice. */
export interface OutgoingRecord {
  readonly value: string;
  readonly partition?: number;
  /** Virtual-clock work: the worker incarnation the record is addressed to ("w2.1"). */
  readonly key?: string;
}

/**
 * A producer that gathers the records written in one tick of the event loop into one request per
 * topic: kafkajs has no linger of its own, and one request per record would cap a run at one
 * round trip per message.
 */
export class RecordProducer {
  private producer: Producer;
  /** Records waiting for the next flush, by topic and partition. */
  private readonly pending = new Map<string, { topic: string; records: OutgoingRecord[] }>();
  private flushScheduled = false;
  private inFlight = new Set<Promise<unknown>>();
  /** The first failed write, reported by the next call. */
  private failure: Error | undefined;
  private readonly idempotent: boolean;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ProducerOptions,
  ) {
    this.idempotent = options.transactionalId !== undefined || options.acks === 'all';
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    const options = this.options;
    const transactional = options.transactionalId !== undefined;
    return this.kafka.producer({
      allowAutoTopicCreation: false,
      // Idempotence (no duplicates from the producer's own retries) needs acks=all.
      idempotent: this.idempotent,
      ...(transactional
        ? { transactionalId: options.transactionalId, maxInFlightRequests: 1 }
        : options.acks === 'all'
          ? { maxInFlightRequests: 5 }
          : {}),
      retry: PRODUCER_RETRY,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    // kafkajs asks for a transactional producer id only when the first transaction begins. Ask at
    // once: that fences any earlier producer with this transactional id (a killed incarnation of
    // the same worker) and makes the coordinator abort the transaction it left open. Until then
    // that transaction holds back every read_committed reader of its partitions.
    if (this.options.transactionalId !== undefined) {
      const empty = await this.producer.transaction();
      await empty.abort();
    }
  }

  /** Queues a record; it leaves with the others of this tick. Throws an earlier write's failure. */
  write(topic: string, record: OutgoingRecord): void {
    if (this.failure) throw this.failure;
    const key = `${topic}\u0000${record.partition ?? ''}`;
    let group = this.pending.get(key);
    if (!group) this.pending.set(key, (group = { topic, records: [] }));
    group.records.push(record);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    // An idempotent producer numbers each partition's records when a request leaves; with two
    // requests in flight, the retries after a leader's death can reach the new leader out of order
    // (OUT_OF_ORDER_SEQUENCE_NUMBER, fatal in kafkajs). So one flush at a time: what is written
    // meanwhile leaves with the next one, when this one is answered.
    if (this.idempotent && this.inFlight.size > 0) return;
    const groups = [...this.pending.values()];
    this.pending.clear();
    // One request per partition. kafkajs 2.2.4 retries a failed multi-partition request only
    // towards the brokers that have not answered yet; a partition whose leader died and moved to a
    // broker that had already answered for other partitions is then reported as written but never
    // sent again: acknowledged writes lost by the client, with acks=all. Alone in its request, a
    // partition is retried towards its new leader.
    for (const { topic, records } of groups) {
      const batch = {
        acks: ACKS[this.options.acks],
        topicMessages: [{ topic, messages: [...records] }],
      };
      const request = this.producer
        .sendBatch(batch)
        .catch(async (error: Error) => {
          // kafkajs cannot recover its idempotent sequence numbers after a partition leader died
          // mid-request: it fails with OUT_OF_ORDER_SEQUENCE_NUMBER. Like the Java client, start
          // over with a new producer id and send the batch again (its records may now be twice in
          // the log: a duplicate delivery, never a loss).
          if (!this.idempotent || this.options.transactionalId !== undefined) throw error;
          if (!isOutOfOrderSequence(error)) throw error;
          const dead = this.producer;
          this.producer = this.newProducer();
          await dead.disconnect().catch(() => undefined);
          await this.producer.connect();
          await this.producer.sendBatch(batch);
        })
        .catch((error: Error) => {
          if (!this.options.dropRefusedWrites) this.failure ??= error;
        });
      this.inFlight.add(request);
      void request.finally(() => {
        this.inFlight.delete(request);
        if (this.pending.size > 0 && this.inFlight.size === 0 && !this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => this.flush());
        }
      });
    }
  }

  /** Resolves when everything written so far has been answered by the brokers. */
  async drain(): Promise<void> {
    while (this.pending.size > 0 || this.inFlight.size > 0) {
      if (this.inFlight.size === 0) this.flush();
      await Promise.all([...this.inFlight]);
    }
    if (this.failure) throw this.failure;
  }

  /** Writes records now, and waits for the brokers' answer. */
  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    await this.producer.send({ topic, acks: ACKS[this.options.acks], messages: [...records] });
  }

  async transaction(): Promise<KafkaTransaction> {
    return new KafkaTransaction(await this.producer.transaction());
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** An open Kafka transaction: records and consumed offsets that commit (or abort) together. */
export class KafkaTransaction {
  constructor(private readonly transaction: Transaction) {}

  async write(topic: string, partition: number, value: string): Promise<void> {
    await this.transaction.send({ topic, messages: [{ value, partition }] });
  }

  /** Commits the consumption of `topic` up to (excluding) `nextOffset`, inside the transaction. */
  async consumed(groupId: string, topic: string, partition: number, nextOffset: number) {
    await this.transaction.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition, offset: String(nextOffset) }] }],
    });
  }

  async commit(): Promise<void> {
    await this.transaction.commit();
  }
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** Ask the coordinator to wait this long for members to rejoin in a rebalance. */
  readonly rebalanceTimeoutMs?: number;
  /**
   * Read this one partition of the topic only (a group of one member per partition, whatever the
   * group's size), instead of sharing the topic's partitions among the group's members.
   */
  readonly onlyPartition?: number;
}

/** One record as a consumer sees it. */
export interface IncomingRecord {
  readonly value: string;
  readonly offset: number;
  readonly key?: string;
}

/** One fetched batch of one partition, handed to the caller's handler. */
export interface IncomingBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly IncomingRecord[];
  /** False once the consumer is stopping or the partition was taken away by a rebalance. */
  stillOwned(): boolean;
  /** Tells the group coordinator this member is alive (between records of a long batch). */
  heartbeat(): Promise<void>;
}

/**
 * A member of a consumer group that hands each fetched batch to `handle`, one batch at a time,
 * and commits offsets only when told (`commit`): when to commit is the lesson, so it is never
 * automatic. Reads committed records only (transactions that aborted are never seen).
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private crashed: ((error: Error) => void) | undefined;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(options.sessionTimeoutMs / 5)),
      rebalanceTimeout: options.rebalanceTimeoutMs ?? 10_000,
      // Wait little for records when there are none: the lab is about latency of single messages.
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: RETRY,
      ...(options.onlyPartition !== undefined
        ? { partitionAssigners: [onlyPartitionAssigner(options.onlyPartition)] }
        : {}),
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      // kafkajs restarts the consumer itself after a retriable failure (say this member's session
      // expired on a loaded machine and the coordinator forgot it): it rejoins and reads on from
      // the committed offsets. Only a failure it gives up on ends the worker.
      if (event.payload.restart) return;
      const error = event.payload.error;
      this.crashed?.(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /**
   * Joins the group on `topic` (reading from the start where the group has committed nothing) and
   * starts handing batches to `handle`, which returns the offset of the last record it handled.
   * Resolves once the consumer is connected and subscribed; `onCrash` hears a failure the consumer
   * does not recover from.
   */
  async start(
    topic: string,
    handle: (batch: IncomingBatch) => Promise<number | undefined>,
    onCrash: (error: Error) => void,
    /**
     * With `onlyPartition`, where to begin reading it when the group has committed nothing: an
     * offset known now, not "the end" (kafkajs looks the end up only at its first fetch, and a
     * record written in between would be skipped).
     */
    startAt?: number,
  ): Promise<void> {
    this.crashed = onCrash;
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    // Not awaited: run() resolves only once the group has taken this member in, which can wait
    // for a dead member's session to expire. Who is in the group is the dispatcher's question
    // (KafkaCluster.stableMembers), not a condition for this process to be up.
    const running = this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        const records: IncomingRecord[] = batch.messages.map((message) => ({
          value: message.value?.toString('latin1') ?? '',
          offset: Number(message.offset),
          ...(message.key ? { key: message.key.toString('latin1') } : {}),
        }));
        const lastHandled = await handle({
          topic: batch.topic,
          partition: batch.partition,
          records,
          stillOwned: () => payload.isRunning() && !payload.isStale(),
          heartbeat: () => payload.heartbeat(),
        });
        // For kafkajs's own bookkeeping of where to fetch next; not a commit.
        if (lastHandled !== undefined) payload.resolveOffset(String(lastHandled));
      },
    });
    running.catch((error: Error) => this.crashed?.(error));
    // Applied at the first fetch after the partition is assigned. Should kafkajs restart the
    // consumer before this member committed anything, it reads from the beginning instead: slower,
    // never wrong (records addressed to others are skipped by the reader).
    if (startAt !== undefined && this.options.onlyPartition !== undefined)
      this.consumer.seek({ topic, partition: this.options.onlyPartition, offset: String(startAt) });
  }

  /** Commits the group's position in one partition: the next record to read is `nextOffset`. */
  async commit(topic: string, partition: number, nextOffset: number): Promise<void> {
    await this.consumer.commitOffsets([{ topic, partition, offset: String(nextOffset) }]);
  }

  async disconnect(): Promise<void> {
    this.crashed = undefined;
    await this.consumer.disconnect().catch(() => undefined);
  }
}

/**
 * A kafkajs partition assigner that gives every member of the group `partition` of each topic it
 * subscribed to, and nothing else (see ConsumerOptions.onlyPartition).
 */
function onlyPartitionAssigner(partition: number): PartitionAssigner {
  return () => ({
    name: `semlab-only-partition-${partition}`,
    version: 1,
    async assign({ members, topics }) {
      const assignment = Object.fromEntries(topics.map((topic) => [topic, [partition]]));
      return members.map(({ memberId }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name: `semlab-only-partition-${partition}`,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics,
          userData: Buffer.alloc(0),
        }),
      };
    },
  });
}

/** The first broker that accepts a TCP connection within a second, if any. */
async function firstAccepting(brokers: readonly string[]): Promise<string | undefined> {
  const accepted = await Promise.all(brokers.map((b) => acceptsConnections(b.trim(), 1000)));
  return brokers[accepted.indexOf(true)]?.trim();
}

/** Is this the broker refusing our session timeout (group.min/max.session.timeout.ms)? */
export function isSessionTimeoutRefusal(error: Error): boolean {
  return (
    /session timeout/i.test(error.message) ||
    (error as { type?: string }).type === 'INVALID_SESSION_TIMEOUT'
  );
}

/** kafkajs's idempotent producer lost track of its sequence numbers (see RecordProducer.flush). */
function isOutOfOrderSequence(error: Error): boolean {
  const cause = (error as { cause?: unknown }).cause;
  return (
    (error as { type?: string }).type === 'OUT_OF_ORDER_SEQUENCE_NUMBER' ||
    /out of order sequence number/i.test(error.message) ||
    (cause instanceof Error && isOutOfOrderSequence(cause))
  );
}
