import { describe, expect, it } from 'vitest';
import {
  changedPartitions,
  clusterView,
  partitionStates,
  replicaPhases,
  sameReplicas,
  underReplicated,
  type PartitionState,
} from './cluster-view.js';

const metadata = {
  brokers: [
    { nodeId: 3, host: '127.0.0.1', port: 9096 },
    { nodeId: 1, host: '127.0.0.1', port: 9092 },
    { nodeId: 2, host: '127.0.0.1', port: 9094 },
  ],
  controller: 2,
  topics: [
    {
      name: 'semlab.r.work',
      partitions: [
        { partitionId: 1, leader: -1, replicas: [3, 1, 2], isr: [1], offlineReplicas: [3, 2] },
        { partitionId: 0, leader: 2, replicas: [2, 3, 1], isr: [3, 2, 1] },
      ],
    },
    { name: 'semlab.r.acks', partitions: [{ partitionId: 0, leader: 1, replicas: [1], isr: [1] }] },
  ],
};

const state = (leader: number | null, isr: number[], partition = 0): PartitionState => ({
  topic: 'semlab.r.work',
  partition,
  leader,
  replicas: [1, 2, 3],
  isr,
});

describe('clusterView', () => {
  it('sorts topics, partitions, replicas and brokers, and reads leader -1 as no leader', () => {
    const view = clusterView(metadata);
    expect(view.brokers.map((b) => `${b.nodeId}=${b.address}`)).toEqual([
      '1=127.0.0.1:9092',
      '2=127.0.0.1:9094',
      '3=127.0.0.1:9096',
    ]);
    expect(view.controller).toBe(2);
    expect(view.partitions).toEqual([
      { topic: 'semlab.r.acks', partition: 0, leader: 1, replicas: [1], isr: [1], offline: [] },
      {
        topic: 'semlab.r.work',
        partition: 0,
        leader: 2,
        replicas: [1, 2, 3],
        isr: [1, 2, 3],
        offline: [],
      },
      {
        topic: 'semlab.r.work',
        partition: 1,
        leader: null,
        replicas: [1, 2, 3],
        isr: [1],
        offline: [2, 3],
      },
    ]);
    expect(view.partitions.map(underReplicated)).toEqual([false, false, true]);
  });

  it('tells a changed leader or in-sync set from the same replicas in another order', () => {
    const states = partitionStates(clusterView(metadata));
    const again = partitionStates(
      clusterView({ ...metadata, topics: [...metadata.topics].reverse() }),
    );
    expect(sameReplicas(states, again)).toBe(true);
    expect(sameReplicas([state(1, [1, 2, 3])], [state(2, [1, 2, 3])])).toBe(false);
    expect(sameReplicas([state(1, [1, 2, 3])], [state(1, [1, 3])])).toBe(false);
    expect(sameReplicas([state(1, [1, 3])], [state(1, [1, 3]), state(1, [1, 3], 1)])).toBe(false);
  });
});

describe('changedPartitions', () => {
  it('lists the partitions whose leader or in-sync set changed, and new ones', () => {
    const before = [state(1, [1, 2, 3]), state(2, [1, 2, 3], 1), state(3, [1, 2, 3], 2)];
    const after = [state(2, [2, 3]), state(2, [2, 3], 1), state(3, [1, 2, 3], 2), state(1, [1], 3)];
    expect(changedPartitions(before, after).map((p) => p.partition)).toEqual([0, 1, 3]);
    expect(changedPartitions(after, after)).toEqual([]);
  });
});

describe('replicaPhases', () => {
  const snapshots = [
    { t: 100, partitions: [state(1, [1, 2, 3]), state(2, [1, 2, 3], 1)] },
    // The moment of the kill: the metadata still names the dead leader.
    { t: 1000, partitions: [state(1, [1, 2, 3]), state(2, [1, 2, 3], 1)] },
    { t: 7000, partitions: [state(2, [2, 3]), state(2, [2, 3], 1)] },
    { t: 12_500, partitions: [state(2, [2, 3]), state(2, [2, 3], 1)] },
    { t: 13_000, partitions: [state(2, [1, 2, 3]), state(2, [1, 2, 3], 1)] },
  ];

  it('takes the last snapshot before, during and after, and times the move and the recovery', () => {
    const phases = replicaPhases(snapshots, { nodeId: 1, t: 1000 }, 12_000);
    expect(phases?.before?.t).toBe(100);
    expect(phases?.during?.t).toBe(7000);
    expect(phases?.after?.t).toBe(13_000);
    expect(phases?.leaderMovedAfterMs).toBe(6000);
    expect(phases?.isrFullAfterRestartMs).toBe(1000);
  });

  it('says nothing moved when the dead broker led nothing it was seen to lose', () => {
    const phases = replicaPhases(snapshots.slice(0, 2), { nodeId: 1, t: 1000 }, undefined);
    expect(phases?.during?.t).toBe(1000);
    expect(phases?.after).toBeUndefined();
    expect(phases?.leaderMovedAfterMs).toBeUndefined();
    expect(phases?.isrFullAfterRestartMs).toBeUndefined();
  });

  it('is nothing without a crash', () => {
    expect(replicaPhases(snapshots, undefined, undefined)).toBeUndefined();
  });
});
