import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.js';
import type { RunReport } from '../../src/report/run-report.js';
// `semlab` has no command that checks a finished run again: the test calls the loader itself.
import { readPlan } from '../../src/core/plan-file.js';
import { checkRun } from '../../src/report/history.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  runJson,
  startSemlab,
  until,
} from '../support/semlab.js';

/** Every event of a run's journals, parsed. */
function journalEvents(runDir: string): JournalEvent[] {
  const dir = join(runDir, 'journal');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as JournalEvent),
    );
}

describe('the checker on real runs', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it(
    'reports a journal corrupted after the run as named violations with their epochs',
    { timeout: 60_000 },
    async () => {
      const report = await runJson(
        [
          'run',
          'at-most-once',
          '--messages',
          '60',
          '--drop-work',
          '0.3',
          '--crash',
          'after-receive@20',
          '--restart-delay',
          '50',
          '--seed',
          '4',
        ],
        home,
      );
      expect(report.consistency).toEqual({ ok: true, violationCount: 0, violations: [] });
      const runDir = report.runDir;
      const plan = readPlan(runDir);

      // An epoch that no worker received (its work was dropped), and an ack the dispatcher never
      // sent the attempt of.
      const events = journalEvents(runDir);
      const received = new Set(events.filter((e) => e.kind === 'receive').map((e) => e.epoch));
      const orphan = Array.from({ length: 60 }, (_, i) => i + 1).find((e) => !received.has(e));
      expect(orphan).toBeDefined();
      // One that w1 acked (and ran): the forged ack names w1 too, so only its attempt is wrong.
      const acked = events.find((e) => e.kind === 'ack' && e.worker === 'w1');
      expect(acked).toBeDefined();
      const ackedEpoch = (acked as { epoch: number }).epoch;
      appendFileSync(
        join(runDir, 'journal', 'w1.0.jsonl'),
        JSON.stringify({ t: 1, kind: 'execute', epoch: orphan, attempt: 1, worker: 'w1' }) + '\n',
      );
      appendFileSync(
        join(runDir, 'journal', 'dispatcher.jsonl'),
        JSON.stringify({ t: 2, kind: 'ack', epoch: ackedEpoch, attempt: 7, worker: 'w1' }) +
          '\n' +
          JSON.stringify({ t: 3, kind: 'send', epoch: 61, attempt: 1 }) +
          '\n',
      );

      // A worker incarnation that died at an injected crash: its journal gets a line after it.
      const journalDir = join(runDir, 'journal');
      const crashed = readdirSync(journalDir).find((name) =>
        readFileSync(join(journalDir, name), 'utf8').includes('"kind":"crash"'),
      ) as string;
      expect(crashed).toMatch(/^w\d+\.\d+\.jsonl$/);
      const [, worker, incarnation] = /^(w\d+)\.(\d+)\./.exec(crashed) as RegExpExecArray;
      const crash = journalEvents(runDir).find(
        (e) => e.kind === 'crash' && e.worker === worker,
      ) as Extract<JournalEvent, { kind: 'crash' }>;
      appendFileSync(
        join(journalDir, crashed),
        JSON.stringify({ t: 4, kind: 'reply', epoch: crash.epoch, attempt: 1, worker }) + '\n',
      );

      const counts = await checkRun(plan);
      expect(counts.consistency.ok).toBe(false);
      expect(counts.identityHolds).toBe(false);
      expect(counts.verdict.held).toBeNull();
      const found = counts.consistency.violations.map((v) => [v.check, v.epoch]);
      expect(found).toContainEqual(['effect-without-receipt', orphan]);
      expect(found).toContainEqual(['ack-without-send', ackedEpoch]);
      expect(found).toContainEqual(['epoch-out-of-range', 61]);
      expect(counts.consistency.violations).toContainEqual(
        expect.objectContaining({
          check: 'event-after-crash',
          epoch: crash.epoch,
          worker,
          incarnation: Number(incarnation),
        }),
      );
      expect(counts.consistency.violationCount).toBe(4);
    },
  );

  it(
    'a run whose workers stop answering stalls: unsettled epochs, not lost, and no verdict',
    { timeout: 90_000 },
    async () => {
      const child = startSemlab(
        [
          'run',
          'at-least-once',
          '--messages',
          '100000',
          '--workers',
          '2',
          '--timeout',
          '100',
          '--seed',
          '5',
          '--json',
        ],
        home,
      );
      const result = finished(child);
      await until(() => runFolders(home).length === 2, 'the run folder');
      const runDir = runFolders(home).find(
        (dir) => !existsSync(join(dir, 'report.json')),
      ) as string;
      // Ready when both workers have started and some epochs were acked: then freeze them both
      // (SIGSTOP, a GC pause that never ends), so nothing is acked any more.
      await until(() => {
        const events = journalEvents(runDir);
        return (
          events.filter((e) => e.kind === 'worker-start').length >= 2 &&
          events.filter((e) => e.kind === 'ack').length >= 50
        );
      }, 'acks from both workers');
      const pids = journalEvents(runDir)
        .filter(
          (e): e is Extract<JournalEvent, { kind: 'worker-start' }> => e.kind === 'worker-start',
        )
        .map((e) => e.pid);
      for (const pid of pids) process.kill(pid, 'SIGSTOP');

      const { code, stdout, stderr } = await result;
      expect(code).toBe(3);
      expect(stderr).toMatch(/^semlab: the run stalled: /);
      const report = JSON.parse(stdout) as RunReport;
      expect(report.status).toBe('stalled');
      // Retried without end, never given up: every epoch is acked or unsettled, none lost.
      expect(report.lost).toBe(0);
      expect(report.unsettled).toBeGreaterThan(0);
      expect(report.acked + report.unsettled).toBe(report.messages);
      expect(report.verdict.held).toBeNull();
      expect(report.verdict.reason).toBe(
        `no verdict: the run did not finish (${report.unsettled} epochs unsettled)`,
      );
      expect(report.consistency.ok).toBe(true);
      // Settled epochs per second, not all 100,000 messages.
      expect(report.throughput).toBe(Math.round(report.acked / (report.durationMs / 1000)));
    },
  );
});
