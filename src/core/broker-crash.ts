import { existsSync } from 'node:fs';
import {
  isNodeRunning,
  killNode,
  readClusterDescription,
  restartNode,
  type KafkaClusterDescription,
  type KafkaNodeDescription,
} from '../services/local-kafka.js';
import { servicesKafkaClusters } from '../services/services-state.js';
import { InfrastructureError } from '../shared/errors.js';
import { KafkaCluster, kafkaNames } from '../transports/kafka/kafka-client.js';
import type { KafkaSettings } from '../transports/contract.js';
import type { Progress } from './ipc.js';
import type { JournalEntry } from './journal.js';
import type { RunPlan } from './run-plan.js';
import { ReplicaWatch } from './replica-watch.js';
import type { OutsideFault } from './supervisor.js';

/** Names the description file of the local cluster to use; wins over the services state file. */
export const CLUSTER_ENV = 'SEMLAB_KAFKA_CLUSTER';

const ONLY_LOCAL_BROKERS =
  '--crash-broker can only kill brokers started on this machine by `scripts/services up kafka --brokers 3`' +
  ` (or by a cluster whose description file ${CLUSTER_ENV} names)`;

/** How long a restarted broker gets to rejoin the cluster before the run is declared broken. */
const RESTART_READY_TIMEOUT_MS = 90_000;

type CrashSettings = NonNullable<KafkaSettings['crashBroker']>;
type RecordEvent = (entry: JournalEntry) => void;

/**
 * `--crash-broker leader@K:MS`, the Kafka broker failure lesson, done from the supervisor's side:
 * once the dispatcher reports K acked epochs, the broker leading partition 0 of the run's work
 * topic dies by SIGKILL (a real process death), and is started again MS later with the same
 * command line and log dir. Only brokers of a local cluster can be killed: the cluster's
 * description (src/services/local-kafka.ts) says which process is which broker.
 *
 * Whatever way the run ends, `settle` leaves the killed broker running again (waiting until it is
 * back in the cluster, except after Ctrl-C), so the next run finds all three brokers.
 */
export class BrokerCrash implements OutsideFault {
  private fired = false;
  /** The kill in progress, or done; it never rejects (see `problem`). */
  private killing: Promise<void> | undefined;
  private victim: KafkaNodeDescription | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  /** Set by `settle`: nothing is journalled afterwards (the journal is closed). */
  private settled = false;
  private problem: Error | undefined;
  /** Journals the run's leaders and in-sync sets from the first progress on (./replica-watch.ts). */
  private watch: ReplicaWatch | undefined;

  private constructor(
    private readonly plan: RunPlan,
    private readonly settings: CrashSettings,
    private readonly descriptionFile: string,
    private readonly cluster: KafkaCluster,
    private readonly onNote: (note: string) => void,
  ) {}

  /**
   * Before the run (and before its topics exist): finds the local cluster that owns the plan's
   * brokers, starts again any of its nodes an earlier run left dead (a semlab killed in the middle
   * of a crash), and checks that every broker the cluster has is one of those nodes. Undefined
   * when the plan crashes no broker; an InfrastructureError when no local cluster knows the
   * brokers.
   */
  static async prepare(
    plan: RunPlan,
    onNote: (note: string) => void = () => undefined,
  ): Promise<BrokerCrash | undefined> {
    const settings = plan.kafka?.crashBroker;
    if (!plan.kafka || !settings) return undefined;
    const brokers = plan.kafka.brokers.split(',');
    const descriptionFile = findClusterDescription(brokers);
    let description = readClusterDescription(descriptionFile);
    for (const node of description.nodes.filter((n) => !isNodeRunning(n))) {
      onNote(`starting Kafka node ${node.nodeId} again (an earlier run left it dead)`);
      await restartNode(descriptionFile, node.nodeId, { timeoutMs: RESTART_READY_TIMEOUT_MS });
    }
    description = readClusterDescription(descriptionFile);
    const cluster = new KafkaCluster(plan.kafka.brokers, `semlab-${plan.runId}-broker-crash`, {
      failFast: true,
    });
    try {
      const brokerCount = await cluster.check(8_000);
      if (brokerCount !== description.nodes.length) {
        throw new InfrastructureError(
          `${ONLY_LOCAL_BROKERS}; ${plan.kafka.brokers} has ${brokerCount} brokers, the local cluster in ${description.root} ${description.nodes.length}`,
        );
      }
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return new BrokerCrash(plan, settings, descriptionFile, cluster, onNote);
  }

  onProgress(progress: Progress, record: RecordEvent): void {
    // The run's topics exist once the dispatcher reports progress.
    if (!this.watch && !this.settled && this.plan.kafka) {
      this.watch = new ReplicaWatch(this.plan.kafka.brokers, this.plan.runId, record, this.onNote);
      this.watch.start();
    }
    if (this.fired || progress.acked < this.settings.afterAcked) return;
    this.fired = true;
    this.killing = this.crashLeader(progress.acked, record).catch((error: unknown) => {
      this.problem ??= asError(error);
    });
  }

  async settle(record: RecordEvent, interrupted: boolean): Promise<void> {
    await this.killing;
    clearTimeout(this.restartTimer);
    if (this.victim && !this.restarting) {
      // After Ctrl-C the node is started but not waited for: its readiness is not worth keeping
      // the user's terminal for.
      this.restarting = this.restartVictim(record, !interrupted);
      await this.restarting;
    } else if (!interrupted) {
      // The timer's restart, under way: the next run needs the node back in the cluster.
      await this.restarting;
    }
    // After a completed run, until the restarted broker's replicas are back in sync (bounded):
    // the strip's "after" column shows the recovery, not a moment before it.
    await this.watch?.stop(interrupted ? 'no-poll' : 20_000);
    this.settled = true;
    await this.cluster.close();
    if (this.problem) throw this.problem;
  }

  /** For a run that never started (its other checks failed): lets go of the admin client. */
  async close(): Promise<void> {
    await this.cluster.close();
  }

  private async crashLeader(acked: number, record: RecordEvent): Promise<void> {
    const work = kafkaNames(this.plan.runId).work;
    const leader = await this.cluster.leaderOf(work, 0);
    // The admin client's connections would only keep knocking on the dead broker.
    await this.cluster.close();
    const description = readClusterDescription(this.descriptionFile);
    const node = description.nodes.find((n) => n.address === leader.address);
    if (!node) {
      throw new InfrastructureError(
        `${ONLY_LOCAL_BROKERS}; the leader of ${work} is broker ${leader.nodeId} at ${leader.address}, not a node of ${description.root}`,
      );
    }
    // The journal's "before": the leaders and in-sync sets at the instant of the kill.
    await this.watch?.snapshot();
    const killed = await killNode(this.descriptionFile, node.nodeId);
    this.victim = killed;
    record({
      kind: 'broker-crash',
      nodeId: node.nodeId,
      address: node.address,
      pid: killed.pid,
      acked,
    });
    this.onNote(`Kafka broker ${node.nodeId} (leader of the work partition) killed`);
    this.restartTimer = setTimeout(() => {
      this.restarting ??= this.restartVictim(record, true);
    }, this.settings.restartMs);
  }

  /** Never rejects: a failed restart is the run's problem, reported by `settle`. */
  private async restartVictim(record: RecordEvent, waitReady: boolean): Promise<void> {
    const victim = this.victim;
    if (!victim) return;
    try {
      const restarted = await restartNode(this.descriptionFile, victim.nodeId, {
        waitReady,
        timeoutMs: RESTART_READY_TIMEOUT_MS,
      });
      if (this.settled) return;
      record({
        kind: 'broker-restart',
        nodeId: victim.nodeId,
        address: victim.address,
        pid: restarted.pid,
        ready: waitReady,
      });
      this.onNote(`Kafka broker ${victim.nodeId} ${waitReady ? 'is back' : 'restarted'}`);
    } catch (error) {
      this.problem ??= new InfrastructureError(
        `could not restart Kafka broker ${victim.nodeId} (${victim.address}): ${asError(error).message}`,
      );
    }
  }
}

/**
 * The description file of the local cluster whose brokers include one of `brokers`: the one
 * SEMLAB_KAFKA_CLUSTER names, else one that `scripts/services up kafka` recorded.
 */
function findClusterDescription(brokers: readonly string[]): string {
  const named = process.env[CLUSTER_ENV]?.trim();
  const candidates = named ? [named] : servicesKafkaClusters();
  if (named && !existsSync(named)) {
    throw new InfrastructureError(`${CLUSTER_ENV}=${named}: no such file; ${ONLY_LOCAL_BROKERS}`);
  }
  for (const file of candidates) {
    let description: KafkaClusterDescription;
    try {
      description = readClusterDescription(file);
    } catch {
      continue; // A stale entry of a cluster that is gone.
    }
    if (description.nodes.some((node) => brokers.includes(node.address))) return file;
  }
  throw new InfrastructureError(
    `${ONLY_LOCAL_BROKERS}; no local cluster description knows ${brokers.join(',')}`,
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
