import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { lessonPart, makeSemlabHome, runJson } from '../support/semlab.js';

/**
 * Reproducible runs: on the virtual clock, the same seed gives the same report on any machine and
 * under any load. A CPU hog keeps both cores busy for the whole file (two busy loops, started here
 * and killed after), so any timing that leaked into a count would show as a difference.
 */

/** The counts that must agree across transports (the transport's name and knobs differ). */
function counts(report: RunReport): Record<string, unknown> {
  const { transport: _transport, kafka: _kafka, ...rest } = lessonPart(report);
  return rest;
}

/** Kafka runs: a short session, so a killed incarnation's group is deleted soon after the run. */
const KAFKA = ['--transport', 'kafka', '--kafka-session-timeout', '1500'];

/** Cells with every kind of fault a virtual run has: drops, delays past the timeout, crashes. */
const CELLS: readonly (readonly string[])[] = [
  ['at-least-once', '--drop-ack', '0.2', '--crash', 'after-execute@10', '--delay-work', '300@0.1'],
  ['exactly-once', '--delay-ack', '400@0.15', '--crash', 'after-execute@7', '--drop-work', '0.1'],
  ['at-most-once', '--crash', 'after-receive@9', '--drop-work', '0.1'],
  ['exactly-once', '--dedupe-ttl', '100', '--delay-ack', '300@0.2', '--store', 'memory'],
];

describe('the same seed gives the same report, under load, on every routed transport', () => {
  const { home, cleanup } = makeSemlabHome();
  const hogs: ChildProcess[] = [];

  beforeAll(() => {
    for (let i = 0; i < 2; i++) {
      hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
  });
  afterAll(() => {
    for (const hog of hogs) hog.kill('SIGKILL');
    cleanup();
  });

  const base = ['--workers', '3', '--messages', '60', '--seed', '11', '--restart-delay', '50'];

  for (const cell of CELLS) {
    it(
      `${cell.join(' ')}: three runs over zmq, identical; redis gives the same counts`,
      { timeout: 120_000 },
      async () => {
        const runs: RunReport[] = [];
        for (let i = 0; i < 3; i++) runs.push(await runJson(['run', ...cell, ...base], home));
        const first = runs[0] as RunReport;
        expect(first.clock).toBe('virtual');
        expect(first.status).toBe('completed');
        // Every configured fault fired: a cell without faults would be reproducible trivially.
        for (const fault of first.faults) expect(fault.injected).toBeGreaterThan(0);
        for (const run of runs.slice(1)) expect(lessonPart(run)).toEqual(lessonPart(first));
        const overRedis = await runJson(['run', ...cell, ...base, '--transport', 'redis'], home);
        expect(overRedis.transport).toBe('redis');
        expect(counts(overRedis)).toEqual(counts(first));
      },
    );
  }

  // A sample cell over Kafka's dispatcher mode, three times: Kafka's batching, its consumer
  // groups' joins and its fetch waits must leak into no count either.
  it(
    `${(CELLS[0] as readonly string[]).join(' ')}: three runs over kafka, identical, with zmq's counts`,
    { timeout: 240_000 },
    async () => {
      const cell = CELLS[0] as readonly string[];
      const runs: RunReport[] = [];
      for (let i = 0; i < 3; i++)
        runs.push(await runJson(['run', ...cell, ...base, ...KAFKA], home));
      const first = runs[0] as RunReport;
      expect(first.transport).toBe('kafka');
      expect(first.clock).toBe('virtual');
      expect(first.status).toBe('completed');
      for (const fault of first.faults) expect(fault.injected).toBeGreaterThan(0);
      for (const run of runs.slice(1)) expect(lessonPart(run)).toEqual(lessonPart(first));
      const overZmq = await runJson(['run', ...cell, ...base], home);
      expect(counts(first)).toEqual(counts(overZmq));
    },
  );

  it(
    'zmq, redis lists and kafka give the same counts for one seed with the redis store; kafka matches zmq with the memory store too',
    { timeout: 180_000 },
    async () => {
      const cell = [...(CELLS[1] as readonly string[]), '--store', 'redis'];
      const overZmq = await runJson(['run', ...cell, ...base], home);
      const overRedis = await runJson(['run', ...cell, ...base, '--transport', 'redis'], home);
      const overKafka = await runJson(['run', ...cell, ...base, ...KAFKA], home);
      expect(overZmq.store).toBe('redis');
      for (const fault of overZmq.faults) expect(fault.injected).toBeGreaterThan(0);
      expect([overRedis.transport, overKafka.transport]).toEqual(['redis', 'kafka']);
      expect(counts(overRedis)).toEqual(counts(overZmq));
      expect(counts(overKafka)).toEqual(counts(overZmq));
      // On the virtual clock the dispatcher routes Kafka's records too (round-robin, not by epoch):
      // the per-worker memory store misses the same retries as over zmq (lesson memory-store).
      const memory = CELLS[3] as readonly string[];
      const memoryOverZmq = await runJson(['run', ...memory, ...base], home);
      const memoryOverKafka = await runJson(['run', ...memory, ...base, ...KAFKA], home);
      expect(memoryOverZmq.duplicateExecutions).toBeGreaterThan(0);
      expect(counts(memoryOverKafka)).toEqual(counts(memoryOverZmq));
    },
  );

  it('the virtual clock counts lesson time: a 400 ms ack delay shows as at least 400 ms', async () => {
    const report = await runJson(
      ['run', 'at-least-once', ...base, '--delay-ack', '400@1', '--messages', '3'],
      home,
    );
    // Every ack is 400 ms late, past the 200 ms timeout: each epoch is sent at 0, 200 and 400 ms,
    // and the first attempt's ack (2 ms of hops plus 400 of delay) settles it at 402 ms.
    expect(report.virtualDurationMs).toBe(402);
    expect(report.sent).toBe(9);
  });
});
