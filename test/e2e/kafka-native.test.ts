import { afterAll, describe, expect, it } from 'vitest';
import { deleteKept, kafkaNamesLeft, KAFKA_CELL_ARGS, readTopic } from '../support/kafka.js';
import { makeSemlabHome, runJson } from '../support/semlab.js';

/**
 * --kafka-mode native: the dispatcher sends each epoch once and the guarantee is Kafka's, set by
 * when a worker commits its consumed offsets. Every tenth epoch's worker is killed (SIGKILL); its
 * partitions move to the others when its session expires, and they read on from the last commit.
 */
describe('Kafka native mode: what committing offsets before, after, or in a transaction gives', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const native = [
    '--transport',
    'kafka',
    '--kafka-mode',
    'native',
    '--seed',
    '7',
    ...KAFKA_CELL_ARGS,
  ];

  it('commit before executing (at-most-once) loses what a killed worker had taken, never repeats', async () => {
    const report = await runJson(
      ['run', 'at-most-once', ...native, '--crash', 'after-receive@10'],
      home,
    );
    expect(report.status).toBe('completed');
    // The dispatcher never resends in native mode, and the killed worker had committed the whole
    // batch before it died: each killed epoch (10, 20, ... 100), and whatever else of its batch
    // it had not executed, is never read again.
    expect(report.retries).toBe(0);
    expect(report.lost).toBeGreaterThanOrEqual(10);
    expect(report.duplicateExecutions).toBe(0);
    expect(report.duplicateDeliveries).toBe(0);
    expect(report.verdict.held).toBe(true);
  });

  it('commit after executing (at-least-once) repeats what a killed worker had executed, loses nothing', async () => {
    const report = await runJson(
      ['run', 'at-least-once', ...native, '--crash', 'after-execute@10'],
      home,
    );
    expect(report.status).toBe('completed');
    expect(report.retries).toBe(0);
    expect(report.lost).toBe(0);
    // Each killed epoch was executed and not committed, so its partition's next owner ran it again
    // (with the rest of that batch): Kafka's redelivery, not the dispatcher's.
    expect(report.duplicateExecutions).toBeGreaterThanOrEqual(10);
    expect(report.duplicateDeliveries).toBeGreaterThanOrEqual(10);
    expect(report.verdict.held).toBe(true);
  });

  it('a transaction (offset, effect and ack together) neither loses nor repeats; read_committed hides the aborted effects', async () => {
    const report = await runJson(
      ['run', 'exactly-once-atomic', ...native, '--crash', 'after-execute@10', '--keep'],
      home,
    );
    try {
      expect(report.status).toBe('completed');
      expect(report.lost).toBe(0);
      expect(report.duplicateExecutions).toBe(0);
      expect(report.executed).toBe(100);
      expect(report.duplicateDeliveries).toBeGreaterThanOrEqual(10);
      expect(report.verdict.held).toBe(true);

      const results = `semlab.${report.runId}.results`;
      const effects = (values: string[]) => values.filter((value) => value !== 'end');
      const committed = effects(await readTopic(results, 'read_committed'));
      const everything = effects(await readTopic(results, 'read_uncommitted'));
      const epochs = committed.map((value) => Number(value.split(':')[0]));
      expect(new Set(epochs).size).toBe(100);
      expect(committed).toHaveLength(100);
      // The killed workers' effects are in the log, in transactions that were aborted.
      expect(everything.length).toBeGreaterThanOrEqual(110);
    } finally {
      await deleteKept(report.runId);
    }
    expect(await kafkaNamesLeft(report.runId)).toEqual([]);
  });

  it('a transaction survives a death just before the ack too', async () => {
    const report = await runJson(
      ['run', 'exactly-once-atomic', ...native, '--crash', 'before-ack@10'],
      home,
    );
    expect(report.lost).toBe(0);
    expect(report.duplicateExecutions).toBe(0);
    expect(report.faults[0]?.injected).toBe(10);
  });
});
