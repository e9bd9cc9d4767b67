import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimRunFolder,
  endRunFolder,
  keepCount,
  newRunId,
  pruneRuns,
  RUN_ID_PATTERN,
  runState,
} from './run-folder.js';
import { RUN_FILES } from './run-plan.js';

/** The pid of a process that has exited: a marker holding it belongs to a killed run. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('run ids', () => {
  it('sort in the order the runs started, within one second too, and keep their pattern', () => {
    // A compare's runs start milliseconds apart: with a random suffix alone, the newest run of a
    // second sorted anywhere among them (a test of the lab read the wrong run's journals in CI).
    const second = Date.parse('2026-12-06T08:45:01.000Z');
    for (let trial = 0; trial < 50; trial++) {
      const ids = [0, 1, 2, 250, 998, 999].map((ms) => newRunId(new Date(second + ms)));
      for (const id of ids) expect(id).toMatch(RUN_ID_PATTERN);
      expect([...ids].sort()).toEqual(ids);
    }
    expect(newRunId(new Date(second + 999)) < newRunId(new Date(second + 1000))).toBe(true);
  });
});

describe('run folders: state and pruning', () => {
  let root: string;
  beforeEach(() => {
    root = join(mkdtempSync(join(tmpdir(), 'semlab-runfolder-')), 'runs');
    mkdirSync(root);
  });
  afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

  function run(name: string, marker?: object): string {
    const dir = join(root, name);
    mkdirSync(join(dir, RUN_FILES.journalDir), { recursive: true });
    writeFileSync(join(dir, RUN_FILES.journalDir, 'dispatcher.jsonl'), '{}\n');
    if (marker) writeFileSync(join(dir, RUN_FILES.inProgress), JSON.stringify(marker));
    return dir;
  }

  it('tells a live run from a killed one (a dead pid, or a live pid that is another process)', () => {
    expect(runState(run('20260101-000000-0001'))).toBe('ended');
    expect(runState(run('20260101-000000-0002', { pid: process.pid }))).toBe('in-progress');
    expect(runState(run('20260101-000000-0003', { pid: deadPid() }))).toBe('interrupted');
    // Our own pid, but a start time that is not ours: the pid was reused.
    const reused = run('20260101-000000-0004', { pid: process.pid, procStart: '1' });
    expect(runState(reused)).toBe(existsSync('/proc/self/stat') ? 'interrupted' : 'in-progress');
    writeFileSync(join(root, '20260101-000000-0005'), 'a file');
    expect(runState(join(root, '20260101-000000-0005'))).toBe('ended');
  });

  it('prunes the oldest ended and killed runs, never one in progress, and nothing that is not a run', () => {
    const live = run('20260101-000000-0001', { pid: process.pid });
    const killed = run('20260101-000000-0002', { pid: deadPid() });
    const ended = run('20260101-000000-0003');
    const newer = ['20260101-000000-0004', '20260101-000000-0005'].map((name) => run(name));
    mkdirSync(join(root, 'not-a-run'));
    mkdirSync(join(root, '.trash-20250101-000000-0001-1-abc'));
    // A run starting now (its process is alive) and one whose semlab died while starting.
    mkdirSync(join(root, `.new-20260101-000000-0007-${process.pid}`));
    mkdirSync(join(root, `.new-20260101-000000-0008-${deadPid()}`));
    pruneRuns(root, 3, '20260101-000000-0006');
    expect(existsSync(live)).toBe(true);
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(ended)).toBe(false);
    for (const dir of newer) expect(existsSync(dir)).toBe(true);
    expect(readdirSync(root).sort()).toEqual([
      `.new-20260101-000000-0007-${process.pid}`,
      '20260101-000000-0001',
      '20260101-000000-0004',
      '20260101-000000-0005',
      'not-a-run',
    ]);
    // A second pruner that comes after finds nothing more to do, and does not fail.
    pruneRuns(root, 3, '20260101-000000-0006');
    pruneRuns(join(root, 'gone'), 3, 'x');
    expect(readdirSync(root)).toHaveLength(5);
  });

  it('claims a run folder whole, marked in progress by this process, and unmarks it at the end', () => {
    const env = { SEMLAB_HOME: join(root, '..'), SEMLAB_KEEP_RUNS: '1' };
    const old = run('20200101-000000-0001');
    const { runId, runDir } = claimRunFolder(env);
    expect(runDir).toBe(join(root, runId));
    expect(runState(runDir)).toBe('in-progress');
    expect(existsSync(join(runDir, RUN_FILES.journalDir))).toBe(true);
    expect(existsSync(old)).toBe(false);
    expect(readdirSync(root)).toEqual([runId]);
    endRunFolder(runDir);
    endRunFolder(runDir);
    expect(runState(runDir)).toBe('ended');
  });
});

describe('how many runs are kept', () => {
  it('keeps 100 by default (a class compares five semantics a lesson), else SEMLAB_KEEP_RUNS', () => {
    expect(keepCount({})).toBe(100);
    expect(keepCount({ SEMLAB_KEEP_RUNS: '7' })).toBe(7);
    expect(keepCount({ SEMLAB_KEEP_RUNS: 'many' })).toBe(100);
  });
});
