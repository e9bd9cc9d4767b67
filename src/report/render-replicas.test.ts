import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../core/journal.js';
import { catalogFor } from '../i18n/catalog.js';
import {
  clusterView,
  replicaPhases,
  type PartitionState,
} from '../transports/kafka/cluster-view.js';
import { renderClusterView, renderReplicaStrip } from './render-replicas.js';
import { replicaPhasesOf } from './replica-history.js';

const plain = new Chalk({ level: 0 });
const en = catalogFor('en');
const pt = catalogFor('pt-BR');
const runId = '20261206-073909-abcd';
const work = `semlab.${runId}.work`;
const acks = `semlab.${runId}.acks`;

const view = clusterView({
  brokers: [1, 2, 3].map((n) => ({ nodeId: n, host: '127.0.0.1', port: 39090 + n })),
  controller: 1,
  topics: [
    {
      name: work,
      partitions: [
        { partitionId: 0, leader: 2, replicas: [1, 2, 3], isr: [2, 3] },
        { partitionId: 1, leader: -1, replicas: [1, 2, 3], isr: [1] },
        { partitionId: 2, leader: 3, replicas: [1, 2, 3], isr: [1, 2, 3] },
      ],
    },
  ],
});

const state = (topic: string, leader: number | null, isr: number[]): PartitionState => ({
  topic,
  partition: 0,
  leader,
  replicas: [1, 2, 3],
  isr,
});

describe('renderClusterView', () => {
  it('shows each partition with leader, replicas and in-sync set, marks the short ones', () => {
    const text = renderClusterView(view, plain, en);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Kafka: 3 brokers, controller 1');
    expect(lines[1]).toBe('brokers: 1 127.0.0.1:39091 · 2 127.0.0.1:39092 · 3 127.0.0.1:39093');
    expect(lines).toContain(work);
    expect(
      lines
        .find((l) => /^\s+0\s/.test(l))
        ?.split(/\s+/)
        .filter(Boolean),
    ).toEqual(['0', '2', '1,2,3', '2,3', '*']);
    expect(lines.find((l) => /^\s+1\s/.test(l))).toMatch(/none/);
    expect(lines.find((l) => /^\s+2\s/.test(l))).not.toMatch(/\*/);
    expect(text).toMatch(/\* fewer replicas in sync than the partition has/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('speaks pt-BR', () => {
    const text = renderClusterView(view, plain, pt);
    expect(text).toMatch(/controlador 1/);
    expect(text).toMatch(/partição\s+líder\s+réplicas\s+em sincronia/);
    expect(text).toMatch(/nenhum/);
  });
});

describe('renderReplicaStrip', () => {
  // A supervisor journal as --crash-broker writes it: broker 1 led the work partition.
  const events = [
    {
      t: 100,
      kind: 'kafka-replicas',
      partitions: [state(work, 1, [1, 2, 3]), state(acks, 2, [1, 2, 3])],
    },
    { t: 1000, kind: 'broker-crash', nodeId: 1, address: '127.0.0.1:39091', pid: 9, acked: 100 },
    {
      t: 7500,
      kind: 'kafka-replicas',
      partitions: [state(work, 3, [2, 3]), state(acks, 2, [2, 3])],
    },
    {
      t: 9000,
      kind: 'broker-restart',
      nodeId: 1,
      address: '127.0.0.1:39091',
      pid: 10,
      ready: true,
    },
    {
      t: 9200,
      kind: 'kafka-replicas',
      partitions: [state(work, 3, [2, 3]), state(acks, 2, [1, 2, 3])],
    },
    {
      t: 10_500,
      kind: 'kafka-replicas',
      partitions: [state(work, 3, [1, 2, 3]), state(acks, 2, [1, 2, 3])],
    },
  ] satisfies JournalEvent[];

  it('reads the journal into before / during / after and draws them in 80 columns', () => {
    const phases = replicaPhasesOf(events);
    expect(phases).toBeDefined();
    const text = renderReplicaStrip(phases!, runId, plain, en);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Leaders and in-sync replicas · broker 1 killed, back 8.0 s later');
    const row = (name: string) =>
      lines
        .find((l) => l.trim().startsWith(name))
        ?.trim()
        .split(/\s{2,}/);
    expect(row('work 0')).toEqual(['work 0', '1 [1,2,3]', '3 [2,3]', '3 [1,2,3]']);
    expect(row('acks 0')).toEqual(['acks 0', '2 [1,2,3]', '2 [2,3]', '2 [1,2,3]']);
    expect(text).toMatch(/new leader 6\.5 s after the kill/);
    expect(text).toMatch(/in sync again 1\.5 s after the restart/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says when the leader was never seen to move, in pt-BR too', () => {
    const phases = replicaPhases(
      [{ t: 100, partitions: [state(work, 1, [1, 2, 3])] }],
      { nodeId: 1, t: 1000 },
      undefined,
    );
    const text = renderReplicaStrip(phases!, runId, plain, pt);
    expect(text).toMatch(/broker 1 morto, não voltou durante a execução/);
    expect(text).toMatch(/nenhuma partição liderada pelo broker 1 foi vista com novo líder/);
  });
});
