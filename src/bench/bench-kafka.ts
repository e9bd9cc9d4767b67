import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startLocalKafka, KAFKA_VERSION, type LocalKafka } from '../services/local-kafka.js';
import { KafkaCluster } from '../transports/kafka/kafka-client.js';
import {
  deleteWithPrefix,
  namesWithPrefix,
  RAW_KAFKA_PREFIX,
  rawKafka,
} from './raw-kafka-client.js';

/** The Kafka cluster the bench's Kafka row runs against, and how to let go of it afterwards. */
export interface BenchKafka {
  readonly brokers: string;
  /** One line for the report: which cluster, and who started it (and how long that took). */
  readonly server: string;
  /** Only for a cluster the bench started: milliseconds from start to answering clients. */
  readonly brokerStartMs?: number;
  close(): Promise<void>;
}

export type BenchKafkaChoice =
  | { readonly kind: 'ready'; readonly kafka: BenchKafka }
  | { readonly kind: 'skipped'; readonly reason: string };

/** How long our broker gets to stop (LocalKafka.stop escalates to SIGKILL after 10 s itself). */
const STOP_DEADLINE_MS = 20_000;

/**
 * With --kafka-brokers or $KAFKA_BROKERS, that cluster (checked now, so a wrong address fails
 * before any measurement); without, a one-broker KRaft cluster of the bench's own on free loopback
 * ports, stopped by `close`. A machine without Java skips the row rather than failing the bench.
 */
export async function openBenchKafka(givenBrokers: string | undefined): Promise<BenchKafkaChoice> {
  if (givenBrokers !== undefined) {
    const brokerCount = await countBrokers(givenBrokers);
    await groupCoordinatorReady(givenBrokers);
    return {
      kind: 'ready',
      kafka: {
        brokers: givenBrokers,
        server: `Kafka at ${givenBrokers}, ${brokerCount} broker(s) (given; not started by the bench)`,
        close: async () => undefined,
      },
    };
  }
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) {
    return {
      kind: 'skipped',
      reason:
        'java is not installed and neither --kafka-brokers nor KAFKA_BROKERS was given ' +
        '(Debian: sudo apt-get install -y openjdk-17-jre-headless maven)',
    };
  }
  const startedAt = performance.now();
  const local = await startLocalKafka({ brokers: 1 });
  const brokerStartMs = Math.round(performance.now() - startedAt);
  try {
    await groupCoordinatorReady(local.brokers);
  } catch (error) {
    await stopLocalKafka(local);
    throw error;
  }
  const coordinatorMs = Math.round(performance.now() - startedAt) - brokerStartMs;
  return {
    kind: 'ready',
    kafka: {
      brokers: local.brokers,
      brokerStartMs,
      server:
        `Kafka ${KAFKA_VERSION}, 1 broker (KRaft) started by the bench at ${local.brokers} ` +
        `in ${(brokerStartMs / 1000).toFixed(1)} s (+${(coordinatorMs / 1000).toFixed(1)} s until ` +
        `it coordinates groups), stopped after the row`,
      close: () => stopLocalKafka(local),
    },
  };
}

/** Until a new cluster has its offsets topic, a group cannot be found; within a minute it must. */
const COORDINATOR_TIMEOUT_MS = 60_000;

/**
 * Waits until the cluster can coordinate a consumer group. A fresh broker creates its offsets topic
 * (50 partitions) on the first group lookup, and until that is done every lookup fails with "not
 * the correct coordinator"; kafkajs gives up after its retries, which would crash whichever
 * consumer of the first measurement came first. Done once here, outside every measurement.
 */
async function groupCoordinatorReady(brokers: string): Promise<void> {
  const admin = rawKafka(brokers, 'semlab-bench-warmup').admin();
  const deadline = Date.now() + COORDINATOR_TIMEOUT_MS;
  try {
    await admin.connect();
    for (;;) {
      try {
        await admin.describeGroups([`${RAW_KAFKA_PREFIX}warmup`]);
        return;
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new Error(
            `Kafka at ${brokers} could not coordinate a consumer group within ` +
              `${COORDINATOR_TIMEOUT_MS / 1000} s: ${(error as Error).message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function countBrokers(brokers: string): Promise<number> {
  const cluster = new KafkaCluster(brokers, 'semlab-bench-check', { failFast: true });
  try {
    return await cluster.check(8_000);
  } finally {
    await cluster.close();
  }
}

/**
 * `LocalKafka.stop` sends SIGTERM and kills after 10 s; the deadline here only keeps a broker that
 * somehow never reports its exit from holding the bench forever. After it, SIGKILL goes to a pid
 * only if that pid is still a Kafka broker of this cluster (a freed pid may be someone else's).
 */
async function stopLocalKafka(local: LocalKafka): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_DEADLINE_MS);
  });
  const outcome = await Promise.race([local.stop().then(() => 'stopped' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'stopped') return;
  for (const pid of local.pids) if (isOurBroker(pid)) process.kill(pid, 'SIGKILL');
}

function isOurBroker(pid: number): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return command.includes('kafka.Kafka') && command.includes('semlab-kafka-');
  } catch {
    return false;
  }
}

/**
 * Deletes what is left of a semlab run in Kafka (its topics and groups, all named
 * `semlab.<runId>.`) and returns the names it found. semlab deletes them itself; anything found
 * here is a leftover worth a warning. Plain kafkajs admin calls, the same as for the raw loop's
 * names, so this check does not lean on the code it checks.
 */
export async function deleteSemlabRunLeftovers(brokers: string, runId: string): Promise<string[]> {
  const prefix = `semlab.${runId}.`;
  const admin = rawKafka(brokers, 'semlab-bench-cleanup').admin();
  await admin.connect();
  try {
    const left = await namesWithPrefix(admin, prefix);
    if (left.length > 0) {
      const still = await deleteWithPrefix(admin, prefix);
      if (still.length > 0) throw new Error(`could not delete ${still.join(', ')} from Kafka`);
    }
    return left;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
