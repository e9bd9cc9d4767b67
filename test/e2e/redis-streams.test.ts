import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  runJson,
  startSemlab,
  until,
} from '../support/semlab.js';

type Event = { kind: string; epoch?: number; worker?: string; pid?: number; incarnation?: number };

function journal(runDir: string): { file: string; events: Event[] }[] {
  const dir = join(runDir, 'journal');
  return readdirSync(dir).map((file) => ({
    file,
    events: readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event),
  }));
}

describe('Redis streams mode: Redis redelivers, the dispatcher does not', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const streams = [
    '--transport',
    'redis',
    '--redis-mode',
    'streams',
    '--reclaim-idle',
    '300',
    '--seed',
    '7',
  ];

  it('a worker killed holding a pending entry: the entry is reclaimed by another and executed', async () => {
    const report = await runJson(
      ['run', 'at-least-once', ...streams, '--crash', 'after-execute@10'],
      home,
    );
    // The table's at-least-once cell for a crash after execute: duplicates, nothing lost.
    expect(report.lost).toBe(0);
    expect(report.duplicateExecutions).toBeGreaterThanOrEqual(10);
    // No retries: every epoch was sent once; the second deliveries are Redis's.
    expect(report.retries).toBe(0);
    expect(report.duplicateDeliveries).toBeGreaterThanOrEqual(10);
    // Each crashed epoch was received again, by a different worker incarnation (a new consumer).
    const files = journal(report.runDir);
    for (const epoch of [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) {
      const receivers = files.filter(({ events }) =>
        events.some((e) => e.kind === 'receive' && e.epoch === epoch),
      );
      expect(receivers.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('acking on receipt (at-most-once) gives up the dead worker’s entries: lost, never repeated', async () => {
    const report = await runJson(
      ['run', 'at-most-once', ...streams, '--crash', 'after-receive@10'],
      home,
    );
    // One entry per crash is lost (more only if a worker dies holding two, which COUNT 1 prevents).
    expect(report.lost).toBe(10);
    expect(report.duplicateExecutions).toBe(0);
    expect(report.duplicateDeliveries).toBe(0);
  });

  it('keeps nothing lost when a worker is SIGKILLed from outside mid-run', async () => {
    const child = startSemlab(
      ['run', 'at-least-once', ...streams, '--messages', '3000', '--json'],
      home,
    );
    const result = finished(child);
    const before = runFolders(home).length;
    await until(() => runFolders(home).length > before, 'the run folder');
    const runDir = runFolders(home).sort().at(-1) as string;
    const w2 = join(runDir, 'journal', 'w2.0.jsonl');
    await until(
      () => existsSync(w2) && readFileSync(w2, 'utf8').split('\n').length > 200,
      'w2 to be busy',
    );
    const start = journal(runDir)
      .flatMap((f) => f.events)
      .find((e) => e.kind === 'worker-start' && e.worker === 'w2');
    process.kill(start?.pid as number, 'SIGKILL');
    const { code, stdout } = await result;
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.lost).toBe(0);
    expect(report.externalKills).toBe(1);
    expect(report.retries).toBe(0);
    expect(report.consistency.ok).toBe(true);
  });
});
