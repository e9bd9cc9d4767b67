/**
 * What the raw Kafka producer, its consumers and the bench share: the names of one measurement's
 * topics and groups, and the kafkajs settings every raw process uses.
 *
 * The raw loop is plain kafkajs, not semlab's adapter (src/transports/kafka/kafka-client.ts), so
 * that the adapter's own choices show up in the ratio instead of being measured on both sides.
 * Fairness: wherever the adapter makes a choice that is Kafka's cost rather than semlab's, the raw
 * loop makes the same one (idempotent acks=all producers, one offset commit per fetched batch
 * before its records are handled, the same session timeout, one partition per worker).
 *
 * Tuning, for the throughput of a closed loop with `window` records out (why each setting):
 * - producers linger the Java way (lingeringSender): one request in flight, everything written
 *   meanwhile in the next one, so requests grow with the load instead of multiplying;
 * - consumers fetch with minBytes 1 (kafkajs's default) and a 100 ms maxWait: with at most
 *   `window` records out there is never a fuller fetch to wait for, so a larger minBytes would
 *   only hold records back until maxWait; maxWait itself only bounds an idle fetch (the broker
 *   answers as soon as a record arrives), and semlab's consumers use the same;
 * - acks=all (-1) and idempotence stay: they are semlab's default (--kafka-acks all), and a
 *   baseline with weaker durability would measure a different pattern, not a better client.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA_DEFAULTS } from '../core/defaults.js';

/** Every topic and group of a measurement starts with `bench.<id>.`, so the bench can delete exactly those. */
export const RAW_KAFKA_PREFIX = 'bench.';

export interface RawKafkaNames {
  /** Work records "n:1", one partition per consumer. */
  readonly work: string;
  /** Acks "n:1:<worker id>", one partition per consumer, each writing to its own. */
  readonly acks: string;
  /** The consumers' group on the work topic. */
  readonly workersGroup: string;
  /** The producer's group on the acks topic. */
  readonly producerGroup: string;
}

export function rawKafkaNames(prefix: string): RawKafkaNames {
  return {
    work: `${prefix}work`,
    acks: `${prefix}acks`,
    workersGroup: `${prefix}workers`,
    producerGroup: `${prefix}producer`,
  };
}

/** The transport's retry policy (a failed request fails the measurement quickly, not in minutes). */
const RETRY = { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 };

/** As the transport's consumers: answer soon when there is nothing to fetch. */
export const MAX_WAIT_MS = 100;

/** The transport's default session timeout, and its heartbeat interval derived from it. */
export const SESSION_TIMEOUT_MS = KAFKA_DEFAULTS.sessionTimeoutMs;
export const HEARTBEAT_INTERVAL_MS = Math.max(100, Math.floor(SESSION_TIMEOUT_MS / 5));

export function rawKafka(brokers: string, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: RETRY,
  });
}

/**
 * The producer semlab's dispatcher and workers both use with the default --kafka-acks all:
 * idempotent, acks=all, at most 5 requests in flight.
 */
export function rawProducer(kafka: Kafka) {
  return kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 5,
    retry: RETRY,
  });
}

export function rawConsumer(kafka: Kafka, groupId: string) {
  return kafka.consumer({
    groupId,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    maxWaitTimeInMs: MAX_WAIT_MS,
    allowAutoTopicCreation: false,
    retry: RETRY,
  });
}

/**
 * Creates the measurement's two topics as semlab creates a run's (createTopics in the adapter):
 * `partitions` each, three replicas with min.insync.replicas=2 on three or more brokers, else one.
 */
export async function createRawTopics(
  admin: Admin,
  names: RawKafkaNames,
  partitions: number,
): Promise<void> {
  const brokerCount = (await admin.describeCluster()).brokers.length;
  const replicated = brokerCount >= 3;
  const topic = (name: string) => ({
    topic: name,
    numPartitions: partitions,
    replicationFactor: replicated ? 3 : 1,
    configEntries: replicated
      ? [
          { name: 'min.insync.replicas', value: '2' },
          { name: 'unclean.leader.election.enable', value: 'false' },
        ]
      : [],
  });
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topic(names.work), topic(names.acks)],
  });
}

/**
 * Deletes every topic and group whose name starts with `prefix` (groups first: a group is only
 * deletable once empty, which it is after its members were stopped) and returns what is still
 * there afterwards, which should be nothing.
 */
export async function deleteWithPrefix(admin: Admin, prefix: string): Promise<string[]> {
  // A member killed without leaving its group keeps it non-empty until its session times out; the
  // retries wait that out (the raw processes leave on SIGTERM, so this is the rare case).
  const deadline = Date.now() + SESSION_TIMEOUT_MS + 5_000;
  for (;;) {
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    if (groups.length === 0) break;
    await admin.deleteGroups(groups).catch(() => undefined);
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  // A deleted topic can stay in the metadata a moment longer on a busy broker: look again before
  // calling it a leftover.
  const settled = Date.now() + 10_000;
  for (;;) {
    const left = await namesWithPrefix(admin, prefix);
    if (left.length === 0 || Date.now() >= settled) return left;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * On SIGTERM (how the bench stops its children), leaves the group and closes the connections
 * before exiting, so the group is empty at once and can be deleted; within the bench's grace period
 * before SIGKILL.
 */
export function leaveOnSigterm(clients: readonly { disconnect(): Promise<void> }[]): void {
  process.once('SIGTERM', () => {
    const giveUp = new Promise((resolve) => setTimeout(resolve, 1500));
    void Promise.race([Promise.all(clients.map((c) => c.disconnect())), giveUp])
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}

/** Topics and groups whose names start with `prefix`. */
export async function namesWithPrefix(admin: Admin, prefix: string): Promise<string[]> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  const groups = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((g) => g.startsWith(prefix));
  return [...topics, ...groups];
}

/** One record of a raw process, to one partition. */
export interface RawRecord {
  readonly value: string;
  readonly partition: number;
}

/**
 * kafkajs's producer has no linger: every `send` is a request of its own, and the raw loop used to
 * send one small request per wake-up, up to five in flight. This gives it the batching of the Java
 * producer's sender with linger.ms=0, which is also what semlab's RecordProducer does: a request
 * leaves at once when none is in flight; while one is, whatever is written waits, and leaves with
 * everything else written meanwhile in one request as soon as the answer comes. Under load that
 * makes requests fewer and larger, and requests are where a produce→consume loop spends its CPU,
 * in the client and in the broker; unloaded, a request with acks=all is answered within a
 * millisecond or so, which is all the waiting this adds. Records keep their order. A failed
 * request goes to `fail` (the measurement fails).
 */
export function lingeringSender(
  producer: ReturnType<typeof rawProducer>,
  topic: string,
  fail: (error: unknown) => void,
): (records: readonly RawRecord[]) => void {
  let waiting: RawRecord[] = [];
  let inFlight = false;
  const flush = (): void => {
    if (inFlight || waiting.length === 0) return;
    const messages = waiting;
    waiting = [];
    inFlight = true;
    producer.send({ topic, acks: -1, messages }).then(() => {
      inFlight = false;
      flush();
    }, fail);
  };
  return (records) => {
    for (const record of records) waiting.push(record);
    flush();
  };
}
