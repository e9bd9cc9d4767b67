/**
 * Kafka's replicas as semlab shows them: which broker leads each partition, which brokers hold a
 * replica, and which of those are in sync. A pure model (no client, no I/O): KafkaCluster.replicas
 * (./kafka-client.ts) feeds it the brokers' metadata; `semlab kafka describe`, the broker-crash
 * fault's journal and the run's "leaders and in-sync replicas" strip read it.
 *
 * Contract:
 * - `clusterView(metadata)` normalises the metadata: partitions sorted by topic then number,
 *   replica lists sorted, a leader of -1 (none elected) as `null`, brokers sorted by node id.
 * - `sameReplicas(a, b)` is true when no partition's leader, replicas or in-sync set differ (what
 *   the broker-crash poller journals only on change).
 * - `changedPartitions(a, b)` lists the partitions of `b` whose leader or in-sync set is not
 *   what `a` had (a partition new in `b` counts as changed).
 * - `replicaPhases(...)` splits journalled snapshots around a broker's crash and restart into
 *   the last one before, the last one while the broker was dead, and the last one after.
 */

/** One partition as the cluster's metadata has it, in kafkajs's field names. */
export interface RawPartitionMetadata {
  readonly partitionId: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas?: readonly number[];
}

export interface RawMetadata {
  readonly brokers: readonly { nodeId: number; host: string; port: number }[];
  readonly controller: number | null;
  readonly topics: readonly { name: string; partitions: readonly RawPartitionMetadata[] }[];
}

export interface PartitionView {
  readonly topic: string;
  readonly partition: number;
  /** The broker leading it; null while no replica leads (the leader died, none elected yet). */
  readonly leader: number | null;
  readonly replicas: readonly number[];
  /** The in-sync replicas (ISR): the replicas caught up with the leader, the leader included. */
  readonly isr: readonly number[];
  /** Replicas on brokers the controller knows to be down. */
  readonly offline: readonly number[];
}

export interface BrokerView {
  readonly nodeId: number;
  readonly address: string;
}

export interface ClusterView {
  readonly brokers: readonly BrokerView[];
  readonly controller: number | null;
  readonly partitions: readonly PartitionView[];
}

const byNumber = (a: number, b: number): number => a - b;

export function clusterView(metadata: RawMetadata): ClusterView {
  const partitions: PartitionView[] = metadata.topics.flatMap((topic) =>
    topic.partitions.map((p) => ({
      topic: topic.name,
      partition: p.partitionId,
      leader: p.leader >= 0 ? p.leader : null,
      replicas: [...p.replicas].sort(byNumber),
      isr: [...p.isr].sort(byNumber),
      offline: [...(p.offlineReplicas ?? [])].sort(byNumber),
    })),
  );
  partitions.sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
  const brokers = metadata.brokers
    .map((b) => ({ nodeId: b.nodeId, address: `${b.host}:${b.port}` }))
    .sort((a, b) => a.nodeId - b.nodeId);
  return { brokers, controller: metadata.controller, partitions };
}

/** Fewer replicas in sync than the partition has: a follower fell behind or its broker is down. */
export function underReplicated(p: Pick<PartitionView, 'replicas' | 'isr'>): boolean {
  return p.isr.length < p.replicas.length;
}

/** What the broker-crash fault journals of a partition (its replicas never change in a run). */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number | null;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export function partitionStates(view: ClusterView): PartitionState[] {
  return view.partitions.map(({ topic, partition, leader, replicas, isr }) => ({
    topic,
    partition,
    leader,
    replicas,
    isr,
  }));
}

const sameList = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function sameReplicas(a: readonly PartitionState[], b: readonly PartitionState[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined &&
        p.topic === q.topic &&
        p.partition === q.partition &&
        p.leader === q.leader &&
        sameList(p.replicas, q.replicas) &&
        sameList(p.isr, q.isr)
      );
    })
  );
}

export function changedPartitions(
  before: readonly PartitionState[],
  after: readonly PartitionState[],
): PartitionState[] {
  return after.filter((p) => {
    const q = before.find((b) => b.topic === p.topic && b.partition === p.partition);
    return !q || q.leader !== p.leader || !sameList(q.isr, p.isr);
  });
}

/** One journalled snapshot, at wall time `t`. */
export interface ReplicaSnapshot {
  readonly t: number;
  readonly partitions: readonly PartitionState[];
}

export interface ReplicaPhases {
  /** The broker killed, and when (wall ms); its restart, when it came back. */
  readonly crash: { readonly nodeId: number; readonly t: number };
  readonly restartT: number | undefined;
  /** The last snapshot before the crash, the last while the broker was dead, the last after. */
  readonly before: ReplicaSnapshot | undefined;
  readonly during: ReplicaSnapshot | undefined;
  readonly after: ReplicaSnapshot | undefined;
  /** Wall ms from the crash until a partition the dead broker led had another leader. */
  readonly leaderMovedAfterMs: number | undefined;
  /** Wall ms from the restart until every partition had all its replicas in sync again. */
  readonly isrFullAfterRestartMs: number | undefined;
}

/**
 * Splits the snapshots around a crash (see the contract above). Undefined without a crash: a run
 * that crashed no broker has nothing to show.
 */
export function replicaPhases(
  snapshots: readonly ReplicaSnapshot[],
  crash: { nodeId: number; t: number } | undefined,
  restartT: number | undefined,
): ReplicaPhases | undefined {
  if (!crash) return undefined;
  const sorted = [...snapshots].sort((a, b) => a.t - b.t);
  const last = (items: ReplicaSnapshot[]): ReplicaSnapshot | undefined => items[items.length - 1];
  const before = last(sorted.filter((s) => s.t < crash.t));
  const during = last(
    sorted.filter((s) => s.t >= crash.t && (restartT === undefined || s.t < restartT)),
  );
  const afterAll = restartT === undefined ? [] : sorted.filter((s) => s.t >= restartT);
  const led = new Set(
    (before?.partitions ?? [])
      .filter((p) => p.leader === crash.nodeId)
      .map((p) => `${p.topic}/${p.partition}`),
  );
  const moved = sorted.find(
    (s) =>
      s.t >= crash.t &&
      s.partitions.some(
        (p) =>
          led.has(`${p.topic}/${p.partition}`) && p.leader !== null && p.leader !== crash.nodeId,
      ),
  );
  const full = afterAll.find((s) => s.partitions.every((p) => !underReplicated(p)));
  return {
    crash,
    restartT,
    before,
    during,
    after: last(afterAll),
    leaderMovedAfterMs: moved ? moved.t - crash.t : undefined,
    isrFullAfterRestartMs: full && restartT !== undefined ? full.t - restartT : undefined,
  };
}
