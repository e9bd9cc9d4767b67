import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  runJson,
  runSemlab,
  startSemlab,
  until,
  type SemlabResult,
} from '../support/semlab.js';

/**
 * Runs are never disturbed from outside: a reader (`semlab trace`, `semlab runs`) writes nothing
 * into a run folder, pruning never removes a run in progress and survives other semlabs pruning at
 * the same moment, and one damaged run folder is named in one line without hiding the others.
 */
describe('run folders under concurrent semlabs', () => {
  const IN_PROGRESS = 'in-progress.json';

  function withHome<T>(body: (home: string) => Promise<T>): () => Promise<T> {
    return async () => {
      const { home, cleanup } = makeSemlabHome();
      try {
        return await body(home);
      } finally {
        cleanup();
      }
    };
  }

  /** The one-line failure rule: nothing that looks like a stack trace or a raw Node error. */
  function expectNoStackTrace(result: SemlabResult): void {
    expect(result.stderr).not.toMatch(/\n\s+at |ENOENT|Cannot open database/);
  }

  function reportOf(result: SemlabResult): RunReport {
    expectNoStackTrace(result);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as RunReport;
  }

  function lines(path: string): string[] {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  }

  /** The run folders, without the dot-named ones a starting run or a pruner has for a moment. */
  function runDirs(home: string): string[] {
    return runFolders(home).filter((dir) => !basename(dir).startsWith('.'));
  }

  /** A worker journal that holds at least one whole line: the run is under way. */
  function hasJournalLines(runDir: string): boolean {
    const journal = join(runDir, 'journal');
    return (
      existsSync(journal) &&
      readdirSync(journal).some(
        (file) => /^w\d+\.\d+\.jsonl$/.test(file) && statSync(join(journal, file)).size > 0,
      )
    );
  }

  it(
    'a trace during an exactly-once-atomic run does not corrupt its report (the reader writes no effects copy)',
    withHome(async (home) => {
      const messages = 300;
      const run = finished(
        startSemlab(
          [
            'run',
            'exactly-once-atomic',
            '--messages',
            String(messages),
            '--window',
            '2',
            '--delay-work',
            '20',
            // Wall time: the delays must make the run last while it is traced.
            '--clock',
            'real',
            '--seed',
            '5',
            '--json',
          ],
          home,
        ),
      );
      await until(
        () => runDirs(home).some((dir) => hasJournalLines(dir)),
        'the run to execute its first epochs',
      );
      const [runDir] = runDirs(home) as [string];
      await until(() => existsSync(join(runDir, 'store.sqlite')), 'the store');

      const traced = await runSemlab(['trace', '--json', '--anomalies'], home);
      expectNoStackTrace(traced);
      expect(traced.code).toBe(0);
      const trace = JSON.parse(traced.stdout) as {
        runId: string;
        state: string;
        partial: boolean;
        effects: string | null;
      };
      expect(trace.runId).toBe(basename(runDir));
      expect(trace.state).toBe('in-progress');
      expect(trace.partial).toBe(true);
      expect(trace.effects).toBe('store');
      // The run was still going when the trace ended, and the trace left no copy behind.
      expect(existsSync(join(runDir, IN_PROGRESS))).toBe(true);
      expect(readdirSync(runDir).filter((name) => name.startsWith('effects.jsonl'))).toEqual([]);
      const listed = await runSemlab(['runs'], home);
      expect(listed.stdout).toMatch(
        new RegExp(
          `^${basename(runDir)} {2}exactly-once-atomic over zmq, 300 messages {2}in progress\\n$`,
        ),
      );

      const report = reportOf(await run);
      expect(report.executed).toBe(messages);
      expect(report.lost).toBe(0);
      expect(report.duplicateExecutions).toBe(0);
      expect(report.status).toBe('completed');
      // The run's own check wrote the copy, whole: one effect per message.
      expect(lines(join(runDir, 'effects.jsonl'))).toHaveLength(messages);
      expect(existsSync(join(runDir, IN_PROGRESS))).toBe(false);

      // Traced again once ended: every epoch, read from the copy, and the whole of a long output
      // through a pipe (more than the 64 KiB a pipe holds, which an early exit used to cut).
      const after = await runSemlab(['trace', '--json'], home);
      expect(after.stdout.length).toBeGreaterThan(64 * 1024);
      const whole = JSON.parse(after.stdout) as {
        state: string;
        partial: boolean;
        effects: string;
        stories: { outcome: string }[];
      };
      expect(whole.state).toBe('ended');
      expect(whole.partial).toBe(false);
      expect(whole.effects).toBe('copy');
      expect(whole.stories.map((story) => story.outcome)).toEqual(
        Array.from({ length: messages }, () => 'ok'),
      );
    }),
    300_000,
  );

  it(
    'a slow run is not pruned by 25 quick runs after it (SEMLAB_KEEP_RUNS=3) and ends intact',
    withHome(async (home) => {
      const keep = { SEMLAB_KEEP_RUNS: '3' };
      const slowMessages = 20;
      // About 3 s per message, one at a time: it outlasts the first batches of quick runs.
      const slow = finished(
        startSemlab(
          [
            'run',
            'at-least-once',
            '--messages',
            String(slowMessages),
            '--workers',
            '1',
            '--window',
            '1',
            '--delay-work',
            '3000',
            '--timeout',
            '20000',
            // Wall time: the delays must make this run outlast the quick ones.
            '--clock',
            'real',
            '--json',
          ],
          home,
          keep,
        ),
      );
      await until(() => runDirs(home).length === 1, 'the slow run folder');
      const [slowDir] = runDirs(home) as [string];
      const quickIds: string[] = [];
      for (let batch = 0; batch < 5; batch++) {
        const quick = await Promise.all(
          Array.from({ length: 5 }, () =>
            runSemlab(
              ['run', 'at-least-once', '--messages', '3', '--workers', '1', '--json'],
              home,
              keep,
            ),
          ),
        );
        for (const result of quick) {
          const report = reportOf(result);
          expect(report.lost).toBe(0);
          quickIds.push(report.runId);
        }
        if (batch < 2) {
          // The slow run, older than all of them, is still there and in progress.
          expect(existsSync(join(slowDir, IN_PROGRESS))).toBe(true);
          const listed = await runSemlab(['runs', '--json'], home);
          const runs = JSON.parse(listed.stdout) as { runId: string; state: string }[];
          expect(runs.find((run) => run.runId === basename(slowDir))?.state).toBe('in-progress');
          // The second batch pruned the first one's runs, which had ended.
          if (batch === 1) {
            expect(runs.filter((run) => quickIds.includes(run.runId)).length).toBeLessThan(
              quickIds.length,
            );
          }
        }
      }

      const report = reportOf(await slow);
      expect(report.runDir).toBe(slowDir);
      expect(report.executed).toBe(slowMessages);
      expect(report.lost).toBe(0);
      expect(report.duplicateExecutions).toBe(0);
      expect(report.status).toBe('completed');
      // Pruning kept the count asked for, apart from runs that were in progress.
      expect(runDirs(home).length).toBeLessThanOrEqual(3 + 4 + 1);
    }),
    300_000,
  );

  it(
    'six runs started at once with SEMLAB_KEEP_RUNS=2 all succeed while they prune the same old runs',
    withHome(async (home) => {
      const root = join(home, 'runs');
      // Ended runs of long ago, which all six prune at the same moment.
      const old = Array.from({ length: 10 }, (_, i) => join(root, `20200101-000000-00${10 + i}`));
      for (const dir of old) {
        mkdirSync(join(dir, 'journal'), { recursive: true });
        writeFileSync(join(dir, 'journal', 'dispatcher.jsonl'), '{}\n');
        writeFileSync(join(dir, 'plan.json'), '{}\n');
      }
      const keep = { SEMLAB_KEEP_RUNS: '2' };
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          // One worker each: six runs of four processes would start 24 at once on two cores.
          runSemlab(
            ['run', 'at-least-once', '--messages', '20', '--workers', '1', '--json'],
            home,
            keep,
          ),
        ),
      );
      const reports = results.map(reportOf);
      for (const report of reports) {
        expect(report.lost).toBe(0);
        expect(report.status).toBe('completed');
      }
      expect(new Set(reports.map((report) => report.runId)).size).toBe(6);
      for (const dir of old) expect(existsSync(dir)).toBe(false);
      // Nothing half-removed or half-made is left beside the runs.
      expect(readdirSync(root).filter((name) => name.startsWith('.'))).toEqual([]);

      // With none in progress, the next run prunes down to the count asked for.
      reportOf(await runSemlab(['run', 'at-least-once', '--messages', '5', '--json'], home, keep));
      expect(readdirSync(root)).toHaveLength(2);
    }),
    300_000,
  );

  it(
    'a torn report.json, plan.json or journal and a file for a folder are named in one line each, and the other runs still list and trace',
    withHome(async (home) => {
      const reports: RunReport[] = [];
      for (let i = 0; i < 5; i++) {
        reports.push(await runJson(['run', 'at-least-once', '--messages', '10'], home));
      }
      const [tornJournal, tornReport, tornPlan, journalFile, healthy] = reports as [
        RunReport,
        RunReport,
        RunReport,
        RunReport,
        RunReport,
      ];
      // A whole line that is not JSON, in the middle of a journal: `runs` does not read journals,
      // `trace` does.
      appendFileSync(join(tornJournal.runDir, 'journal', 'dispatcher.jsonl'), '{"kind": "se\n{}\n');
      truncateSync(join(tornReport.runDir, 'report.json'), 40);
      truncateSync(join(tornPlan.runDir, 'plan.json'), 25);
      rmSync(join(journalFile.runDir, 'journal'), { recursive: true });
      writeFileSync(join(journalFile.runDir, 'journal'), 'not a folder\n');
      // A file with a run's name, where a run folder should be: the newest entry of all.
      const fileRun = '29991231-235959-ffff';
      writeFileSync(join(home, 'runs', fileRun), 'x');

      const listed = await runSemlab(['runs'], home);
      expectNoStackTrace(listed);
      expect(listed.code).toBe(0);
      // Newest first, as run ids sort (runs started within one second sort by their suffix).
      const byIdNewestFirst = (lines: string[]): string[] => [...lines].sort().reverse();
      expect(listed.stdout.trim().split('\n')).toEqual(
        byIdNewestFirst([
          `${fileRun}  damaged: ${fileRun} is a file where a folder should be; skipped`,
          `${healthy.runId}  at-least-once over zmq, 10 messages  0 lost, 0 twice, held`,
          `${journalFile.runId}  damaged: journal is a file where a folder should be; skipped`,
          `${tornPlan.runId}  damaged: plan.json is torn or not what semlab wrote; skipped`,
          `${tornReport.runId}  damaged: report.json is torn or not what semlab wrote; skipped`,
          `${tornJournal.runId}  at-least-once over zmq, 10 messages  0 lost, 0 twice, held`,
        ]),
      );
      const json = JSON.parse((await runSemlab(['runs', '--json'], home)).stdout) as {
        runId: string;
        state: string;
      }[];
      expect(Object.fromEntries(json.map((run) => [run.runId, run.state]))).toEqual({
        [fileRun]: 'damaged',
        [healthy.runId]: 'ended',
        [journalFile.runId]: 'damaged',
        [tornPlan.runId]: 'damaged',
        [tornReport.runId]: 'damaged',
        [tornJournal.runId]: 'ended',
      });

      const traced = await runSemlab(['trace', healthy.runId, '--json'], home);
      expect(traced.stderr).toBe('');
      expect(traced.code).toBe(0);
      const trace = JSON.parse(traced.stdout) as { stories: unknown[]; partial: boolean };
      expect(trace.stories).toHaveLength(10);
      expect(trace.partial).toBe(false);

      for (const [runId, file] of [
        [tornReport.runId, 'report.json is torn or not what semlab wrote'],
        [tornPlan.runId, 'plan.json is torn or not what semlab wrote'],
        [journalFile.runId, 'journal is a file where a folder should be'],
        [tornJournal.runId, 'journal/dispatcher.jsonl is torn or not what semlab wrote'],
      ] as const) {
        const damaged = await runSemlab(['trace', runId], home);
        expect(damaged.code).toBe(3);
        expect(damaged.stdout).toBe('');
        expect(damaged.stderr).toBe(`semlab: run ${runId} cannot be read: ${file}\n`);
      }
      // The newest entry is the damaged file: `semlab trace` alone says so, in one line.
      const newest = await runSemlab(['trace'], home);
      expect(newest.code).toBe(3);
      expect(newest.stderr).toBe(
        `semlab: run ${fileRun} cannot be read: ${fileRun} is a file where a folder should be\n`,
      );
      // In Portuguese too.
      const pt = await runSemlab(['runs', '--lang', 'pt-BR'], home);
      expect(pt.stdout).toContain(
        `${tornPlan.runId}  danificada: plan.json está cortado ou não é o que o semlab escreveu; ignorada`,
      );
    }),
    300_000,
  );

  it(
    'a run whose semlab was killed shows as interrupted, not in progress, and is pruned',
    withHome(async (home) => {
      const child = startSemlab(
        [
          'run',
          'at-least-once',
          '--messages',
          '400',
          '--window',
          '1',
          '--delay-work',
          '20',
          '--clock',
          'real',
        ],
        home,
      );
      const ended = finished(child);
      await until(
        () => runDirs(home).some((dir) => hasJournalLines(dir)),
        'the run to execute its first epochs',
      );
      const [runDir] = runDirs(home) as [string];
      // Its dispatcher and workers are ours to stop too once their parent is gone.
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .map(Number);
      child.kill('SIGKILL');
      await ended;
      try {
        const listed = await runSemlab(['runs'], home);
        expect(listed.stdout).toBe(
          `${basename(runDir)}  at-least-once over zmq, 400 messages  interrupted: its semlab process is gone, no report\n`,
        );
        const traced = await runSemlab(['trace'], home);
        expect(traced.code).toBe(0);
        expect(traced.stdout.split('\n')[1]).toBe(
          'interrupted: its semlab process is gone; the counts are what the journals held then',
        );
        expect(traced.stdout).toMatch(/ epochs shown: .* \(partial\)\n$/);
      } finally {
        for (const pid of children) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      reportOf(
        await runSemlab(['run', 'at-least-once', '--messages', '5', '--json'], home, {
          SEMLAB_KEEP_RUNS: '1',
        }),
      );
      expect(existsSync(runDir)).toBe(false);
    }),
    300_000,
  );
});
