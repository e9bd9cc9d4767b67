import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.js';
import { RUN_FILES } from '../../src/core/run-plan.js';
import type { RunReport } from '../../src/report/run-report.js';
import {
  isNodeRunning,
  readClusterDescription,
  startLocalKafka,
  type LocalKafka,
} from '../../src/services/local-kafka.js';
import { expectScenarioMet } from '../support/scenarios.js';
import { untilEveryBrokerSees } from '../support/all-brokers.js';
import { makeSemlabHome, runFolders, runSemlab } from '../support/semlab.js';

/**
 * The broker failure lesson against a real three-node KRaft cluster of its own: semlab kills the
 * broker leading the work partition (SIGKILL) after some acks, starts it again, and with acks=all
 * and min.insync.replicas=2 no acknowledged work is lost. Afterwards the cluster has its three
 * brokers again, so the next run can crash one too.
 */
describe('--crash-broker on a local three-broker cluster', () => {
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

  it(
    'kills the leader after 100 acks, restarts it, loses nothing, and leaves three brokers',
    { timeout: 300_000 },
    async () => {
      const result = await runSemlab(
        [
          'run',
          'at-least-once',
          '--transport',
          'kafka',
          '--kafka-mode',
          'native',
          '--kafka-acks',
          'all',
          '--kafka-brokers',
          cluster.brokers,
          '--crash-broker',
          'leader@100:2000',
          '--workers',
          '3',
          '--messages',
          '400',
          '--json',
        ],
        home,
        { SEMLAB_KAFKA_CLUSTER: cluster.descriptionFile },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as RunReport;
      expect(report.status).toBe('completed');
      expect(report.lost).toBe(0);
      expect(report.consistency.ok).toBe(true);
      expect(report.faults).toEqual([
        {
          type: 'crash-broker',
          target: 'leader',
          afterAcked: 100,
          restartMs: 2000,
          injected: 1,
        },
      ]);

      const [runDir] = runFolders(home);
      const events = readFileSync(join(runDir!, RUN_FILES.supervisorJournal), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as JournalEvent);
      const crashes = events.filter((e) => e.kind === 'broker-crash');
      const restarts = events.filter((e) => e.kind === 'broker-restart');
      expect(crashes).toHaveLength(1);
      expect(restarts).toHaveLength(1);
      const [crash] = crashes;
      const [restart] = restarts;
      expect(restart).toMatchObject({
        nodeId: crash?.nodeId,
        address: crash?.address,
        ready: true,
      });
      expect(crash?.acked).toBeGreaterThanOrEqual(100);
      expect(cluster.brokers.split(',')).toContain(crash?.address);

      // The run's leaders and in-sync sets were journalled around the crash: the last snapshot
      // before the kill names the victim as the work partition's leader, and after the restart
      // every replica is in sync again.
      const snapshots = events.filter((e) => e.kind === 'kafka-replicas');
      const work = (e: (typeof snapshots)[number] | undefined) =>
        e?.partitions.find((p) => p.topic.endsWith('.work') && p.partition === 0);
      const before = snapshots.filter((e) => e.t <= crash!.t).at(-1);
      expect(work(before)?.leader).toBe(crash?.nodeId);
      expect(work(before)?.isr).toHaveLength(3);
      const after = snapshots.at(-1);
      expect(after!.t).toBeGreaterThanOrEqual(restart!.t);
      expect(after?.partitions.every((p) => p.isr.length === 3 && p.leader !== null)).toBe(true);
      // `semlab kafka describe RUN` of the finished run shows that record as the strip.
      const described = await runSemlab(
        ['kafka', 'describe', runDir!, '--kafka-brokers', cluster.brokers],
        home,
      );
      expect(described.code).toBe(0);
      expect(described.stdout).toContain(
        `Leaders and in-sync replicas · broker ${crash?.nodeId} killed, back`,
      );
      expect(described.stdout).toMatch(
        /every replica was in sync again [\d.]+ s after the restart/,
      );
      const stripRow = described.stdout.split('\n').find((l) => l.trim().startsWith('work 0'));
      expect(stripRow?.trim().split(/\s{2,}/)[1]).toBe(`${crash?.nodeId} [1,2,3]`);

      // The restarted node is the description's process for that node now, and all three answer.
      const nodes = readClusterDescription(cluster.descriptionFile).nodes;
      expect(nodes.filter(isNodeRunning)).toHaveLength(3);
      expect(nodes.find((n) => n.nodeId === crash?.nodeId)?.pid).toBe(restart?.pid);
      const admin = new Kafka({
        brokers: cluster.brokers.split(','),
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        expect((await admin.describeCluster()).brokers).toHaveLength(3);
      } finally {
        await admin.disconnect();
      }
    },
  );

  it('the bundled lesson kafka-leader-crash meets its expect block', { timeout: 300_000 }, () =>
    expectScenarioMet('kafka-leader-crash', home, ['--kafka-brokers', cluster.brokers], {
      SEMLAB_KAFKA_CLUSTER: cluster.descriptionFile,
    }),
  );

  it(
    'refuses, before the run starts, a cluster that no local description knows',
    { timeout: 60_000 },
    async () => {
      const result = await runSemlab(
        [
          'run',
          'at-least-once',
          '--transport',
          'kafka',
          '--kafka-brokers',
          cluster.brokers,
          '--crash-broker',
          'leader@10',
          '--messages',
          '20',
        ],
        home,
        // A shell whose `scripts/services` started nothing, and no description named.
        { SEMLAB_KAFKA_CLUSTER: '', SEMLAB_SERVICES_STATE: join(home, 'no-services.json') },
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(
        /--crash-broker can only kill brokers started on this machine by `scripts\/services up kafka --brokers 3`/,
      );
    },
  );
});
