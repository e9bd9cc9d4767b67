import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killNode,
  readClusterDescription,
  restartNode,
  startLocalKafka,
  type LocalKafka,
} from '../../src/services/local-kafka.js';
import type { ClusterView, PartitionView } from '../../src/transports/kafka/cluster-view.js';
import { untilEveryBrokerSees } from '../support/all-brokers.js';
import { makeSemlabHome, runSemlab } from '../support/semlab.js';

/**
 * `semlab kafka describe` on a real three-node KRaft cluster of its own, before, during and after
 * the death of a partition leader (one cluster, one topic, every assertion in one pass). What
 * semlab prints is checked against the brokers' own metadata, read here with kafkajs directly.
 */
const TOPIC = 'semlab.20990101-000000-beef.work';
const OTHER = 'someone-else.topic';

interface DescribeJson extends ClusterView {
  readonly bootstrap: string;
}

type Raw = { partition: number; leader: number; replicas: number[]; isr: number[] };

describe('semlab kafka describe on a three-broker cluster', () => {
  const { home, cleanup } = makeSemlabHome();
  let cluster: LocalKafka;

  beforeAll(async () => {
    cluster = await startLocalKafka({ brokers: 3 });
    await untilEveryBrokerSees(cluster.brokers, 3);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    cleanup();
  }, 60_000);

  /** The topic's partitions as the live brokers (not `dead`) report them; undefined on failure. */
  async function metadata(dead?: string): Promise<Raw[] | undefined> {
    const brokers = cluster.brokers.split(',').filter((b) => b !== dead);
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      return (topics[0]?.partitions ?? [])
        .map((p) => ({
          partition: p.partitionId,
          leader: p.leader,
          replicas: [...p.replicas].sort(),
          isr: [...p.isr].sort(),
        }))
        .sort((a, b) => a.partition - b.partition);
    } catch {
      return undefined;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Readiness, not timing: polls the brokers until `ready` holds of the topic's partitions. */
  async function waitFor(ready: (ps: Raw[]) => boolean, what: string, dead?: string) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ps = await metadata(dead);
      if (ps && ps.length === 3 && ready(ps)) return ps;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * The view once it shows what the brokers' own metadata already showed: each broker's cache
   * learns of a new topic or a death on its own, and the one semlab asks may lag a moment.
   * Bounded: what it shows at the bound is returned and the assertions then say what is wrong.
   */
  async function describeWhen(ready: (view: DescribeJson) => boolean): Promise<DescribeJson> {
    const settle = Date.now() + 20_000;
    let view = await describeJson();
    while (!ready(view) && Date.now() < settle) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      view = await describeJson();
    }
    return view;
  }

  async function describeJson(): Promise<DescribeJson> {
    const result = await runSemlab(
      ['kafka', 'describe', '--kafka-brokers', cluster.brokers, '--json'],
      home,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as DescribeJson;
  }

  const asRaw = (p: PartitionView): Raw => ({
    partition: p.partition,
    leader: p.leader ?? -1,
    replicas: [...p.replicas],
    isr: [...p.isr],
  });
  const full = (ps: Raw[]) => ps.every((p) => p.leader >= 0 && p.isr.length === 3);
  /**
   * The view shows the partitions as the brokers' metadata did. The broker semlab asks learns of
   * a death or a new leader on its own, a moment after the others: `describeWhen` waits for this,
   * and the assertions that follow say what differs if it never comes.
   */
  const sameAs = (view: DescribeJson, raw: Raw[]): boolean =>
    JSON.stringify(view.partitions.map(asRaw)) === JSON.stringify(raw);

  it(
    'shows leaders and in-sync replicas; the leader moves off a killed broker, the ISR shrinks and recovers',
    { timeout: 240_000 },
    async () => {
      const kafka = new Kafka({ brokers: cluster.brokers.split(','), logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        // Not kafkajs's waitForLeaders: it gives up when the broker it asks does not know the
        // topic yet; waitFor below is the readiness check.
        await admin.createTopics({
          waitForLeaders: false,
          topics: [
            { topic: TOPIC, numPartitions: 3, replicationFactor: 3 },
            { topic: OTHER, numPartitions: 1, replicationFactor: 3 },
          ],
        });
      } finally {
        await admin.disconnect();
      }

      // Before: every partition led, all three replicas in sync.
      const before = await waitFor(full, 'the new topic to be fully in sync');
      const shown = await describeWhen((view) => view.brokers.length === 3 && sameAs(view, before));
      expect(shown.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(shown.brokers.map((b) => b.address).sort()).toEqual(cluster.brokers.split(',').sort());
      // Only semlab's topics.
      expect([...new Set(shown.partitions.map((p) => p.topic))]).toEqual([TOPIC]);
      expect(shown.partitions.map(asRaw)).toEqual(before);

      // During: the broker leading partition 0 dies.
      const leader = before[0]!.leader;
      const description = readClusterDescription(cluster.descriptionFile);
      const victim = description.nodes.find((n) => n.nodeId === leader)!;
      await killNode(cluster.descriptionFile, leader);
      const during = await waitFor(
        (ps) => ps.every((p) => p.leader >= 0 && p.leader !== leader && !p.isr.includes(leader)),
        `partitions to leave broker ${leader}`,
        victim.address,
      );
      // The broker semlab asks may drop the dead one from its list before it learns the new
      // leaders: ready once the view shows what the brokers' own metadata showed.
      const shownDuring = await describeWhen(
        (view) => !view.brokers.some((b) => b.nodeId === leader) && sameAs(view, during),
      );
      expect(shownDuring.brokers.map((b) => b.nodeId)).not.toContain(leader);
      expect(shownDuring.partitions.map(asRaw)).toEqual(during);
      const p0 = shownDuring.partitions[0]!;
      expect(p0.leader).not.toBe(leader);
      expect(p0.replicas).toContain(leader);
      expect(p0.isr).toHaveLength(2);
      // The table marks the partition short of in-sync replicas.
      const text = await runSemlab(['kafka', 'describe', '--kafka-brokers', cluster.brokers], home);
      expect(text.code).toBe(0);
      const row = text.stdout.split('\n').find((l) => /^\s+0\s/.test(l));
      expect(row?.trim().split(/\s+/)).toEqual([
        '0',
        String(p0.leader),
        '1,2,3',
        p0.isr.join(','),
        '*',
      ]);
      expect(text.stdout).toContain('* fewer replicas in sync than the partition has');

      // After: the broker is back and its replicas catch up.
      await restartNode(cluster.descriptionFile, leader, { timeoutMs: 90_000 });
      const after = await waitFor(full, `broker ${leader}'s replicas back in sync`);
      const shownAfter = await describeWhen(
        (view) => view.brokers.length === 3 && sameAs(view, after),
      );
      expect(shownAfter.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(shownAfter.partitions.map(asRaw)).toEqual(after);
      expect(shownAfter.partitions.every((p) => p.isr.length === 3)).toBe(true);
      const pt = await runSemlab(
        ['--lang', 'pt-BR', 'kafka', 'describe', '--kafka-brokers', cluster.brokers],
        home,
      );
      expect(pt.code).toBe(0);
      expect(pt.stdout).toMatch(/partição\s+líder\s+réplicas\s+em sincronia/);
      expect(pt.stdout).not.toContain('*');
      for (const line of [...text.stdout.split('\n'), ...pt.stdout.split('\n')]) {
        expect(line.length).toBeLessThanOrEqual(80);
      }
    },
  );

  it('says in one line, exit 3, that the brokers cannot be reached', async () => {
    const result = await runSemlab(['kafka', 'describe', '--kafka-brokers', '127.0.0.1:1'], home);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^semlab: cannot reach Kafka at 127\.0\.0\.1:1 \(.*\n$/);
  });
});
