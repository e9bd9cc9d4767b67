import { messages } from '../i18n/catalog.js';
import {
  changedPartitions,
  partitionStates,
  sameReplicas,
  underReplicated,
  type PartitionState,
} from '../transports/kafka/cluster-view.js';
import { KafkaCluster, kafkaNames } from '../transports/kafka/kafka-client.js';
import type { JournalEntry } from './journal.js';

type RecordEvent = (entry: JournalEntry) => void;

/** Often enough to see the leader move (the controller needs ~6 s), rare enough for 2 cores. */
const POLL_MS = 500;

/**
 * Watches the run's partitions while --crash-broker kills and restarts a broker, and journals a
 * `kafka-replicas` event each time a leader or an in-sync set changes: the record the run's
 * "leaders and in-sync replicas" strip is drawn from (src/report/render-replicas.ts).
 *
 * Contract: `start` begins polling (the run's topics must exist); `snapshot` polls now and
 * resolves once that poll is journalled (the crash takes one just before its kill, so "before" is
 * always there); `stop` polls until every replica is in sync again or `waitMs` passed, then stops.
 * A poll that fails (a broker that just died) is skipped, never an error of the run: the admin
 * client is dropped and the next poll connects anew, to a broker that answers.
 */
export class ReplicaWatch {
  private cluster: KafkaCluster | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: PartitionState[] | undefined;
  private polling: Promise<PartitionState[] | undefined> | undefined;
  private stopped = false;

  constructor(
    private readonly brokers: string,
    private readonly runId: string,
    private readonly record: RecordEvent,
    /** Told, in the reader's language, when a work partition's leader or in-sync set changes. */
    private readonly onNote: (note: string) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    void this.poll();
  }

  async snapshot(): Promise<void> {
    await this.polling;
    await this.poll();
  }

  async stop(waitMs: number | 'no-poll'): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + (waitMs === 'no-poll' ? 0 : waitMs);
    for (;;) {
      if (waitMs === 'no-poll') break;
      await this.polling;
      const now = await this.poll();
      const full = now !== undefined && now.length > 0 && !now.some(underReplicated);
      if (full || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    this.stopped = true;
    await this.cluster?.close();
    this.cluster = undefined;
  }

  /** One poll at a time: a slow one (a dead broker's connection timeout) is not piled on. */
  private poll(): Promise<PartitionState[] | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    this.polling ??= this.readAndJournal().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async readAndJournal(): Promise<PartitionState[] | undefined> {
    const names = kafkaNames(this.runId);
    this.cluster ??= new KafkaCluster(this.brokers, `semlab-${this.runId}-replica-watch`, {
      failFast: true,
    });
    try {
      const view = await this.cluster.replicas({
        topics: [names.work, names.acks, names.results],
      });
      const partitions = partitionStates(view);
      if (this.stopped) return partitions;
      if (!this.last || !sameReplicas(this.last, partitions)) {
        this.record({ kind: 'kafka-replicas', partitions });
        // The first snapshot is no news; later ones are, for the work topic (what the lesson is
        // about, and short enough for one line).
        if (this.last) {
          const w = messages().replicas;
          for (const p of changedPartitions(this.last, partitions)) {
            if (p.topic !== names.work) continue;
            this.onNote(
              w.liveChange({
                partition: p.partition,
                leader: p.leader === null ? w.none : String(p.leader),
                isr: p.isr.join(','),
              }),
            );
          }
        }
        this.last = partitions;
      }
      return partitions;
    } catch {
      await this.cluster.close();
      this.cluster = undefined;
      return undefined;
    }
  }
}
