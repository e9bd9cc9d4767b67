import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { finished, makeSemlabHome, runFolders, startSemlab, until } from '../support/semlab.js';

/** Lines of every *.jsonl file in a folder of a run, parsed. */
function records(runDir: string, folder: string): Record<string, unknown>[] {
  const dir = join(runDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
}

function lineCount(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
}

/** Processes whose command line names the run folder: the dispatcher and the workers of that run. */
function processesOf(runDir: string): string[] {
  const table = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return table.split('\n').filter((line) => line.includes(runDir) && !line.includes('ps -eo'));
}

describe('real process deaths', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  // Virtual: one message in hand at a time. Real: a worker journals and acks its queue in bursts
  // (src/core/worker.ts), so the kill lands in the middle of one.
  it.each(['virtual', 'real'])(
    'keeps counts exact after a worker is SIGKILLed from outside mid-run (%s clock)',
    async (clock) => {
      // A home per case: the run below is the only folder in it.
      const { home, cleanup: cleanupCase } = makeSemlabHome();
      onTestFinished(cleanupCase);
      const child = startSemlab(
        [
          'run',
          'at-least-once',
          '--clock',
          clock,
          '--messages',
          '20000',
          '--workers',
          '3',
          '--seed',
          '3',
          '--restart-delay',
          '50',
          '--json',
        ],
        home,
      );
      const result = finished(child);
      await until(() => runFolders(home).length === 1, 'the run folder');
      const runDir = runFolders(home)[0] as string;
      const supervisorJournal = join(runDir, 'journal', 'supervisor.jsonl');
      // Ready when w2 has handled a good number of messages: it is mid-run, with work in flight.
      await until(() => lineCount(join(runDir, 'journal', 'w2.0.jsonl')) > 300, 'w2 to be busy');
      const start = records(runDir, 'journal').find(
        (e) => e.kind === 'worker-start' && e.worker === 'w2',
      );
      expect(start).toBeDefined();
      process.kill(start?.pid as number, 'SIGKILL');
      expect(existsSync(supervisorJournal)).toBe(true);

      const { code, stdout, stderr } = await result;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as RunReport;

      // at-least-once: the retries cover whatever w2 took with it.
      expect(report.lost).toBe(0);
      expect(report.consistency.ok).toBe(true);
      expect(report.externalKills).toBe(1);
      expect(report.perWorker.find((w) => w.worker === 'w2')?.deaths).toBe(1);
      // w2 was restarted: a second incarnation wrote its own journal.
      expect(existsSync(join(runDir, 'journal', 'w2.1.jsonl'))).toBe(true);

      // The counts equal an independent recount of the raw files.
      const journal = records(runDir, 'journal');
      const effects = journal.filter((e) => e.kind === 'execute');
      const count = (kind: string): number => journal.filter((e) => e.kind === kind).length;
      expect(report.sent).toBe(count('send'));
      expect(report.delivered).toBe(count('receive'));
      expect(report.executed).toBe(effects.length);
      const distinct = new Set(effects.map((e) => e.epoch)).size;
      expect(report.duplicateExecutions).toBe(effects.length - distinct);
      expect(report.acked).toBe(
        new Set(journal.filter((e) => e.kind === 'ack').map((e) => e.epoch)).size,
      );
    },
  );

  it('stops every child process when semlab run gets SIGINT, and exits 130', async () => {
    const child = startSemlab(
      ['run', 'at-least-once', '--messages', '5000000', '--workers', '3'],
      home,
    );
    const result = finished(child);
    await until(() => runFolders(home).length === 1, 'the run folder');
    const runDir = runFolders(home)[0] as string;
    await until(() => lineCount(join(runDir, 'journal', 'w1.0.jsonl')) > 100, 'w1 to be busy');
    expect(processesOf(runDir).length).toBe(4);

    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const { code, stderr } = await result;
    expect(Date.now() - interruptedAt).toBeLessThan(1500);
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT/);
    expect(processesOf(runDir)).toEqual([]);
  });
});
