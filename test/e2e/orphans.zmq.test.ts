import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { startLocalRedis, type LocalRedis } from '../../src/services/local-redis.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  SEMLAB_BIN,
  startSemlab,
  until,
  type SemlabResult,
} from '../support/semlab.js';

/**
 * Whatever dies when, nothing of a run is left running: the top process killed with SIGKILL at
 * any moment of its start-up, SIGHUP from a closing terminal, SIGTERM before the run is under way,
 * a worker killed while it starts. Processes are found through /proc, by the SEMLAB_HOME path in
 * their arguments (every child of a run has its run folder, under that home, in its argv).
 */

type Journal = Record<string, unknown>[];

/** Pids and command lines of the processes with `home` in an argument (never this process). */
function processesUnder(home: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (args.some((arg) => arg.includes(home))) found.push(`${entry}: ${args.join(' ')}`);
  }
  return found;
}

/** Polls /proc until no process of `home` is left; fails naming the survivors. */
async function noProcessLeft(home: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (processesUnder(home).length > 0) {
    if (Date.now() > deadline) {
      throw new Error(`processes left behind:\n${processesUnder(home).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** True once semlab catches SIGHUP: its own handlers are in place (Node's start-up is over). */
function catchesSighup(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const caught = /SigCgt:\s*([0-9a-f]+)/.exec(status)?.[1];
    return caught !== undefined && (BigInt(`0x${caught}`) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** Exactly one `semlab:` line, the last one (plain progress lines may come before it). */
function expectOneLine(stderr: string, line: string): void {
  expect(stderr.split('\n').filter((l) => l.startsWith('semlab:'))).toEqual([line]);
  expect(stderr.endsWith(`${line}\n`)).toBe(true);
}

function readJournal(path: string): Journal {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function journalFiles(runDir: string): string[] {
  const dir = join(runDir, 'journal');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.jsonl')) : [];
}

function allEvents(runDir: string): Journal {
  return journalFiles(runDir).flatMap((name) => readJournal(join(runDir, 'journal', name)));
}

function supervisorEvents(runDir: string): Journal {
  return readJournal(join(runDir, 'journal', 'supervisor.jsonl'));
}

/**
 * An interrupted Redis run ended as it must: the exit code, one line naming the signal, one
 * run-end journalled, no key of the run left in Redis, no process left.
 */
async function expectCleanInterruption(
  result: { code: number | null; stderr: string },
  signal: string,
  exitCode: number,
  run: { home: string; runDir: string; runId: string; redis: Redis },
): Promise<void> {
  expect(result.code).toBe(exitCode);
  expectOneLine(result.stderr, `semlab: interrupted by ${signal}; every child process was stopped`);
  expect(supervisorEvents(run.runDir).filter((e) => e.kind === 'run-end')).toEqual([
    expect.objectContaining({ status: `interrupted by ${signal}` }),
  ]);
  expect(await run.redis.keys(`semlab:${run.runId}:*`)).toEqual([]);
  await noProcessLeft(run.home);
}

function newestRun(home: string): string | undefined {
  return runFolders(home).sort().at(-1);
}

const LONG_RUN = ['run', 'at-least-once', '--messages', '5000000', '--workers', '3', '--no-live'];

/** The moments of start-up (and after) at which the tests below strike. */
interface Moment {
  readonly name: string;
  /** Resolves at the moment; `child` was just started under `home`. */
  reached(child: ChildProcess, home: string): Promise<void>;
  /** Children of the run exist at this moment (else the moment precedes them). */
  readonly childrenExist: boolean;
}

const after = (ms: number): Moment => ({
  name: `${ms} ms after it started`,
  reached: () => new Promise((r) => setTimeout(r, ms)),
  childrenExist: false,
});

const MOMENTS = {
  handlers: {
    name: 'as soon as it catches signals',
    reached: (child) => until(() => catchesSighup(child.pid as number), 'the signal handlers'),
    childrenExist: false,
  },
  folder: {
    name: 'when its run folder appears',
    reached: (_, home) => until(() => runFolders(home).length > 0, 'the run folder'),
    childrenExist: false,
  },
  dispatcherForked: {
    name: 'when the dispatcher is forked',
    reached: (_, home) =>
      until(
        () => processesUnder(home).some((p) => p.includes('dispatcher-entry')),
        'the dispatcher process',
        30_000,
      ),
    childrenExist: true,
  },
  workerForked: {
    name: 'when the first worker is forked',
    reached: (_, home) =>
      until(
        () => {
          const runDir = newestRun(home);
          return (
            runDir !== undefined && supervisorEvents(runDir).some((e) => e.kind === 'worker-start')
          );
        },
        'the first worker-start',
        30_000,
      ),
    childrenExist: true,
  },
  midRun: {
    name: 'mid-run',
    reached: (_, home) =>
      until(
        () => {
          const runDir = newestRun(home);
          return (
            runDir !== undefined && readJournal(join(runDir, 'journal', 'w1.0.jsonl')).length > 200
          );
        },
        'w1 to be busy',
        30_000,
      ),
    childrenExist: true,
  },
} satisfies Record<string, Moment>;

describe('no orphans, whatever dies when', () => {
  const homes: (() => void)[] = [];
  const freshHome = (): string => {
    const { home, cleanup } = makeSemlabHome();
    homes.push(cleanup);
    return home;
  };
  afterAll(() => homes.forEach((cleanup) => cleanup()));

  it.each([
    after(50),
    after(150),
    after(400),
    MOMENTS.handlers,
    MOMENTS.dispatcherForked,
    MOMENTS.workerForked,
    MOMENTS.midRun,
  ] as Moment[])(
    'leaves no process behind when semlab is killed with SIGKILL $name',
    async (moment) => {
      const home = freshHome();
      const child = startSemlab(LONG_RUN, home);
      const result = finished(child);
      await moment.reached(child, home);
      if (moment.childrenExist) expect(processesUnder(home).length).toBeGreaterThan(0);
      child.kill('SIGKILL');
      expect((await result).signal).toBe('SIGKILL');
      await noProcessLeft(home);
    },
  );

  it('SIGHUP of semlab mid-run (a closed terminal): exit 129, one line, run-end journalled, Redis keys gone, no process left', async () => {
    const home = freshHome();
    const redis = new Redis(inject('redisUrl'));
    try {
      const child = startSemlab(
        [...LONG_RUN.slice(0, 2), '--transport', 'redis', ...LONG_RUN.slice(2)],
        home,
      );
      const result = finished(child);
      await MOMENTS.midRun.reached(child, home);
      const runDir = newestRun(home) as string;
      const runId = runDir.split('/').at(-1) as string;
      expect((await redis.keys(`semlab:${runId}:*`)).length).toBeGreaterThan(0);

      child.kill('SIGHUP');
      await expectCleanInterruption(await result, 'SIGHUP', 129, { home, runDir, runId, redis });
    } finally {
      redis.disconnect();
    }
  });

  it('a second signal during the cleanup (SIGTERM, then SIGHUP) neither cuts it short nor repeats it', async () => {
    const home = freshHome();
    const redis = new Redis(inject('redisUrl'));
    try {
      const child = startSemlab(
        [...LONG_RUN.slice(0, 2), '--transport', 'redis', ...LONG_RUN.slice(2)],
        home,
      );
      const result = finished(child);
      await MOMENTS.midRun.reached(child, home);
      const runDir = newestRun(home) as string;
      const runId = runDir.split('/').at(-1) as string;
      child.kill('SIGTERM');
      // While the first one's cleanup runs (children stopping, keys being deleted).
      await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGHUP');
      await expectCleanInterruption(await result, 'SIGTERM', 130, { home, runDir, runId, redis });
    } finally {
      redis.disconnect();
    }
  });

  it('SIGHUP to the whole process group (how a terminal closes) still exits 129 with no process left', async () => {
    const home = freshHome();
    // Its own process group, as a terminal's foreground job has.
    const child = spawn(process.execPath, [SEMLAB_BIN, ...LONG_RUN], {
      env: { PATH: process.env.PATH, SEMLAB_HOME: home, LANG: 'C', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const result = finished(child);
    await MOMENTS.midRun.reached(child, home);
    const runDir = newestRun(home) as string;
    process.kill(-(child.pid as number), 'SIGHUP');
    const { code, stderr }: SemlabResult = await result;
    // The workers and the dispatcher got the SIGHUP too, and let semlab stop them: no restart,
    // no "dispatcher ended unexpectedly".
    expect(code).toBe(129);
    expectOneLine(stderr, 'semlab: interrupted by SIGHUP; every child process was stopped');
    expect(supervisorEvents(runDir).filter((e) => e.kind === 'worker-start')).toHaveLength(3);
    await noProcessLeft(home);
  });

  it.each([MOMENTS.handlers, MOMENTS.folder, MOMENTS.workerForked] as Moment[])(
    'SIGTERM $name: exit 130 with one line, no process left',
    async (moment) => {
      const home = freshHome();
      const child = startSemlab(LONG_RUN, home);
      const result = finished(child);
      await moment.reached(child, home);
      child.kill('SIGTERM');
      const { code, stderr } = await result;
      expect(code).toBe(130);
      expectOneLine(stderr, 'semlab: interrupted by SIGTERM; every child process was stopped');
      await noProcessLeft(home);
      const runDir = newestRun(home);
      // Once the supervisor exists, its journal says how the run ended.
      if (runDir && existsSync(join(runDir, 'journal', 'supervisor.jsonl'))) {
        expect(supervisorEvents(runDir).filter((e) => e.kind === 'run-end')).toEqual([
          expect.objectContaining({ status: 'interrupted by SIGTERM' }),
        ]);
      }
    },
  );

  it('restarts and counts a worker killed while it starts, instead of waiting 15 s for the dead one', async () => {
    const home = freshHome();
    const child = startSemlab(
      [
        'run',
        'at-least-once',
        '--messages',
        '1500',
        '--workers',
        '3',
        '--restart-delay',
        '50',
        // An injected crash too: it must not cancel out the kill from outside.
        '--crash',
        'before-ack@500',
        '--json',
      ],
      home,
    );
    const result = finished(child);
    let victim: Record<string, unknown> | undefined;
    await until(() => {
      const runDir = newestRun(home);
      victim = runDir
        ? supervisorEvents(runDir).find((e) => e.kind === 'worker-start' && e.worker === 'w2')
        : undefined;
      return victim !== undefined;
    }, "w2's start");
    process.kill(victim?.pid as number, 'SIGKILL');
    const killedAt = Date.now();
    const runDir = newestRun(home) as string;

    const { code, stdout, stderr } = await result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The old supervisor waited STARTUP_TIMEOUT_MS (15 s) for the dead incarnation, then failed.
    expect(Date.now() - killedAt).toBeLessThan(12_000);
    // Killed before it opened its journal: it died while starting, not after being ready.
    expect(readJournal(join(runDir, 'journal', 'w2.0.jsonl'))).toEqual([]);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.lost).toBe(0);
    expect(report.perWorker.find((w) => w.worker === 'w2')?.deaths).toBeGreaterThanOrEqual(1);
    const crashes = report.perWorker.reduce((sum, w) => sum + w.crashes, 0);
    expect(crashes).toBe(3);
    expect(report.externalKills).toBe(1);
    expect(supervisorEvents(runDir)).toContainEqual(
      expect.objectContaining({
        kind: 'worker-exit',
        worker: 'w2',
        incarnation: 0,
        signal: 'SIGKILL',
        expected: false,
        injected: false,
      }),
    );
    expect(supervisorEvents(runDir)).toContainEqual(
      expect.objectContaining({ kind: 'worker-start', worker: 'w2', incarnation: 1 }),
    );
    await noProcessLeft(home);
  });

  it('names the dispatcher and its signal when it is killed while it starts, and leaves no process', async () => {
    const home = freshHome();
    const child = startSemlab(LONG_RUN, home);
    const result = finished(child);
    let dispatcher: string | undefined;
    await until(
      () =>
        (dispatcher = processesUnder(home).find((p) => p.includes('dispatcher-entry'))) !==
        undefined,
      'the dispatcher process',
      30_000,
    );
    process.kill(Number(dispatcher?.split(':')[0]), 'SIGKILL');
    const { code, stderr } = await result;
    expect(code).toBe(3);
    expect(stderr.split('\n').filter((l) => l.startsWith('semlab:'))).toEqual([
      expect.stringMatching(/^semlab: the dispatcher process ended unexpectedly \(SIGKILL\)/),
    ]);
    await noProcessLeft(home);
  });

  it('restarts a crashed worker after the delay of the crash spec that fired, not of the first one with that point', async () => {
    const home = freshHome();
    const scenario = join(home, 'two-crashes.yaml');
    writeFileSync(
      scenario,
      [
        'name: two-crashes',
        'title: two crash specs at one point',
        'description: two crash specs at one point, with different restart delays',
        'semantics: at-least-once',
        'workers: 2',
        'messages: 30',
        'seed: 1',
        'restartDelayMs: 100',
        // Wall time: the test measures restart delays with the wall clock.
        'clock: real',
        'faults:',
        '  - { type: crash, point: after-execute, every: 10, restartMs: 2000 }',
        '  - { type: crash, point: after-execute, every: 7, restartMs: 0 }',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await finished(startSemlab(['run', scenario, '--json'], home));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const runDir = newestRun(home) as string;
    const supervisor = supervisorEvents(runDir);
    // Each crash with the incarnation that journalled it (its file, `w1.0.jsonl`): the exit and
    // the restart that follow it are found by incarnation, never by comparing the `t` of two
    // processes, whose wall clocks may differ by a fraction of a millisecond.
    const crashes = journalFiles(runDir)
      .filter((name) => /^w\d+\.\d+\.jsonl$/.test(name))
      .flatMap((name) =>
        readJournal(join(runDir, 'journal', name))
          .filter((e) => e.kind === 'crash')
          .map((e): Record<string, unknown> => ({ ...e, incarnation: Number(name.split('.')[1]) })),
      );
    // Epochs 7, 14, 21, 28 by the second spec; 10, 20, 30 by the first.
    expect(
      crashes.map((e) => [e.epoch, e.fault]).sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [7, 1],
      [10, 0],
      [14, 1],
      [20, 0],
      [21, 1],
      [28, 1],
      [30, 0],
    ]);
    for (const crash of crashes) {
      const exit = supervisor.find(
        (e) =>
          e.kind === 'worker-exit' &&
          e.worker === crash.worker &&
          e.incarnation === crash.incarnation,
      );
      const restart = supervisor.find(
        (e) =>
          e.kind === 'worker-start' &&
          e.worker === crash.worker &&
          e.incarnation === (exit?.incarnation as number) + 1,
      );
      if (!exit || !restart) continue; // the run ended before its restart
      const gap = (restart.t as number) - (exit.t as number);
      if (crash.fault === 0) expect(gap).toBeGreaterThanOrEqual(2000);
      else expect(gap).toBeLessThan(1000);
    }
    // Each restart checked above is one of these; at least the quick ones happened.
    expect(supervisor.filter((e) => e.kind === 'worker-start').length).toBeGreaterThan(2);
  });
});

describe('a receipt is journalled before the worker awaits anything', () => {
  const { home, cleanup } = makeSemlabHome();
  let server: LocalRedis;
  let admin: Redis;
  beforeAll(async () => {
    // A Redis of its own: the test freezes it (CLIENT PAUSE), which must not slow other tests.
    server = await startLocalRedis();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
    cleanup();
  });

  it('counts the receipt of a worker killed while it waits for its store (exactly-once)', async () => {
    const child = startSemlab(
      [
        'run',
        'exactly-once',
        '--store',
        'redis',
        '--redis-url',
        server.url,
        '--messages',
        '4000',
        '--workers',
        '3',
        '--restart-delay',
        '50',
        '--timeout',
        '500',
        '--json',
      ],
      home,
    );
    const result = finished(child);
    await MOMENTS.midRun.reached(child, home);
    const runDir = newestRun(home) as string;

    // Freeze the store: every worker stops at its next store call. One that had just taken a
    // message waits in its dedupe check, and its receipt must already be in its journal (the
    // old worker held it in memory until its next commit, after that check). A worker can also
    // be caught in its mark, after the effect; then the store is frozen again.
    let victim: { worker: string; pid: number; epoch: number } | undefined;
    const tail = (file: string): Record<string, unknown> | undefined => readJournal(file).at(-1);
    for (let attempt = 0; attempt < 8 && !victim; attempt++) {
      await admin.call('CLIENT', 'PAUSE', '2000', 'ALL');
      const starts = supervisorEvents(runDir).filter((e) => e.kind === 'worker-start');
      const files = starts.map((s) =>
        join(runDir, 'journal', `${s.worker}.${s.incarnation}.jsonl`),
      );
      // Stuck: a journal whose last line stays the same for a while (a stability check).
      let before = files.map(tail);
      for (let look = 0; look < 10 && !victim; look++) {
        await new Promise((r) => setTimeout(r, 100));
        const now = files.map(tail);
        const stuck = now.findIndex(
          (last, i) => last?.kind === 'receive' && last.t === before[i]?.t,
        );
        before = now;
        if (stuck < 0) continue;
        const start = starts[stuck] as Record<string, unknown>;
        victim = {
          worker: start.worker as string,
          pid: start.pid as number,
          epoch: now[stuck]?.epoch as number,
        };
        process.kill(victim.pid, 'SIGKILL');
      }
      // Answered once the pause is over: then freeze again.
      if (!victim) await admin.ping();
    }
    expect(victim).toBeDefined();

    const { code, stdout, stderr } = await result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RunReport;
    const events = allEvents(runDir);
    const receipts = events.filter((e) => e.kind === 'receive');
    expect(report.delivered).toBe(receipts.length);
    // The dead worker's receipt is counted, and so is the redelivery to another worker.
    expect(
      receipts.filter((e) => e.worker === victim?.worker && e.epoch === victim?.epoch).length,
    ).toBeGreaterThanOrEqual(1);
    expect(receipts.filter((e) => e.epoch === victim?.epoch).length).toBeGreaterThanOrEqual(2);
    expect(report.duplicateDeliveries).toBeGreaterThanOrEqual(1);
    // (Duplicates may happen: retries during the freeze race through the dedupe check, the
    // preset's known hole.)
    expect(report.lost).toBe(0);
    expect(report.externalKills).toBe(1);
    await noProcessLeft(home);
  });
});
