import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EpochStory } from '../../src/report/trace.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  runJson,
  runSemlab,
  startSemlab,
  until,
} from '../support/semlab.js';

type Line = Record<string, unknown>;

function journal(path: string): Line[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

/** The state letter of /proc/PID/stat (R, S, T, Z...), or undefined once the process is gone. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /\) (\S)/.exec(stat)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The fault kinds of issue 14, each as real processes over real ZeroMQ sockets on the virtual
 * clock, where their counts follow exactly from the fault and the routing.
 */
describe('new fault kinds over zmq', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  async function anomalies(runId: string): Promise<EpochStory[]> {
    const { code, stdout, stderr } = await runSemlab(
      ['trace', runId, '--anomalies', '--json'],
      home,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { stories: EpochStory[] }).stories;
  }

  it('--work-ms advances virtual time by each handling; past the timeout it looks like death', async () => {
    const small = ['--seed', '1', '--messages', '12', '--window', '3'];
    const quick = await runJson(['run', 'at-least-once', ...small, '--work-ms', '150'], home);
    // 3 workers, one message each at a time, 4 rounds of hop + 150 ms of work + hop.
    expect(quick.virtualDurationMs).toBe(4 * (150 + 2));
    expect(quick.retries).toBe(0);
    expect(quick.faults).toEqual([{ type: 'work', ms: 150, injected: 12 }]);

    const slow = await runJson(['run', 'at-least-once', ...small, '--work-ms', '250'], home);
    // Every first attempt outlives the 200 ms timeout: every epoch runs at least twice.
    expect(slow.lost).toBe(0);
    expect(slow.duplicateExecutions).toBeGreaterThanOrEqual(12);
    expect(slow.faults[0]?.injected).toBe(slow.delivered);
    const stories = await anomalies(slow.runId);
    expect(stories).toHaveLength(12);
    for (const story of stories) expect(story.cause?.kind).toBe('slow-work');
  });

  it('--work-ms on the real clock makes the worker really take that long', async () => {
    const report = await runJson(
      [
        'run',
        'at-most-once',
        ...['--clock', 'real', '--messages', '6', '--window', '3', '--work-ms', '40'],
      ],
      home,
    );
    expect(report.faults).toEqual([{ type: 'work', ms: 40, injected: 6 }]);
    // Two rounds of 40 ms on each of 3 workers: a floor, whatever the machine's load.
    expect(report.durationMs).toBeGreaterThanOrEqual(80);
  });

  it('--pause: a frozen worker is a zombie: exactly one duplicate per pause for check-then-mark, none atomic', async () => {
    const args = ['--seed', '3', '--window', '1', '--pause', 'after-execute@10:500'];
    const once = await runJson(['run', 'exactly-once', ...args], home);
    const atomic = await runJson(['run', 'exactly-once-atomic', ...args], home);
    for (const report of [once, atomic]) {
      expect(report.consistency.ok).toBe(true);
      expect(report.faults).toEqual([
        { type: 'pause', point: 'after-execute', every: 10, ms: 500, injected: 10 },
      ]);
      // No crash, no drop: every retry is a pause's, and no worker died.
      expect(report.retries).toBe(10);
      expect(report.perWorker.every((w) => w.crashes === 0 && w.deaths === 0)).toBe(true);
      expect(report.lost).toBe(0);
      // Each pause stopped a real process, and continued it at its virtual instant: all but the
      // last two, frozen at epochs 90 and 100, which the run's end (at epoch 100's retry, 422 ms
      // after epoch 90's pause) overtakes. The run's time decides, so this is exact.
      const supervisor = journal(join(report.runDir, 'journal', 'supervisor.jsonl'));
      const stops = supervisor.filter((e) => e.kind === 'worker-stop').length;
      const conts = supervisor.filter((e) => e.kind === 'worker-cont').length;
      expect(stops).toBe(10);
      expect(conts).toBe(8);
    }
    expect(once.duplicateExecutions).toBe(10);
    expect(once.verdict.held).toBe(false);
    expect(atomic.duplicateExecutions).toBe(0);
    expect(atomic.verdict.held).toBe(true);
    const stories = await anomalies(once.runId);
    expect(stories.map((s) => s.epoch)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    for (const story of stories) expect(story.cause?.kind).toBe('zombie');
    const woke = stories.filter((s) => s.cause?.text.includes('the zombie woke'));
    expect(woke.map((s) => s.epoch)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('--pause really stops the process (state T), continues it, and leaves none stopped', async () => {
    // Real clock, a timeout longer than the pause: the zombie is waited for, nothing is retried.
    const child = startSemlab(
      [
        'run',
        'at-least-once',
        ...['--clock', 'real', '--messages', '4', '--window', '1', '--timeout', '20000'],
        ...['--pause', 'after-receive@2:2500', '--no-live'],
      ],
      home,
    );
    const done = finished(child);
    let pid = 0;
    await until(() => {
      const [runDir] = runFolders(home).filter((dir) => existsSync(join(dir, 'in-progress.json')));
      if (!runDir) return false;
      const stop = journal(join(runDir, 'journal', 'supervisor.jsonl')).find(
        (e) => e.kind === 'worker-stop',
      );
      pid = typeof stop?.pid === 'number' ? stop.pid : 0;
      return pid > 0;
    }, 'a worker to be stopped');
    expect(processState(pid)).toBe('T');
    await until(() => processState(pid) !== 'T', 'the worker to be continued');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('semlab:');
    await until(() => processState(pid) === undefined, 'the worker to be gone');
  });

  it('--pause: Ctrl-C during a pause leaves no process stopped or alive', async () => {
    const child = startSemlab(
      [
        'run',
        'at-least-once',
        ...['--clock', 'real', '--messages', '4', '--window', '1', '--timeout', '60000'],
        ...['--pause', 'after-receive@1:60000', '--no-live'],
      ],
      home,
    );
    const done = finished(child);
    let pid = 0;
    await until(() => {
      const [runDir] = runFolders(home).filter((dir) => existsSync(join(dir, 'in-progress.json')));
      if (!runDir) return false;
      const stop = journal(join(runDir, 'journal', 'supervisor.jsonl')).find(
        (e) => e.kind === 'worker-stop',
      );
      pid = typeof stop?.pid === 'number' ? stop.pid : 0;
      return pid > 0 && processState(pid) === 'T';
    }, 'a worker to be stopped');
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).not.toBe(0);
    await until(() => processState(pid) === undefined, 'the stopped worker to be gone', 5000);
  });

  it('--dup-work: the network delivers twice with no retry; exactly-once dedupes every copy', async () => {
    const args = ['--seed', '5', '--dup-work', '0.2'];
    const least = await runJson(['run', 'at-least-once', ...args], home);
    const once = await runJson(['run', 'exactly-once', ...args], home);
    for (const report of [least, once]) {
      expect(report.consistency.ok).toBe(true);
      expect(report.retries).toBe(0);
      const injected = report.faults[0]?.injected ?? 0;
      expect(injected).toBeGreaterThan(0);
      // Every duplicate the network made is one more delivery, and nothing else is.
      expect(report.duplicateDeliveries).toBe(injected);
    }
    // Same seed, same duplicates.
    expect(once.faults[0]?.injected).toBe(least.faults[0]?.injected);
    expect(least.duplicateExecutions).toBe(least.faults[0]?.injected);
    expect(once.duplicateExecutions).toBe(0);
    const stories = await anomalies(least.runId);
    expect(stories).toHaveLength(least.duplicateExecutions);
    for (const story of stories) expect(story.cause?.kind).toBe('network-duplicate');
  });

  it('--dup-ack and --reorder short of the timeout change nothing the dispatcher counts', async () => {
    const dupAck = await runJson(['run', 'at-least-once', '--seed', '5', '--dup-ack', '0.3'], home);
    expect(dupAck.faults[0]?.injected).toBeGreaterThan(0);
    expect([dupAck.retries, dupAck.duplicateDeliveries, dupAck.lost]).toEqual([0, 0, 0]);

    const report = await runJson(
      ['run', 'at-least-once', '--seed', '5', '--reorder', '0.3:30'],
      home,
    );
    expect(report.faults[0]?.injected).toBeGreaterThan(0);
    expect([report.retries, report.duplicateExecutions, report.lost]).toEqual([0, 0, 0]);
    // The order really changed: some epoch reached its worker after a later epoch did.
    const receipts = readdirSync(join(report.runDir, 'journal'))
      .filter((f) => /^w\d+\.\d+\.jsonl$/.test(f))
      .flatMap((f) => journal(join(report.runDir, 'journal', f)))
      .filter((e) => e.kind === 'receive')
      .map((e) => ({ epoch: e.epoch as number, vt: e.vt as number }));
    const overtaken = receipts.filter((a) =>
      receipts.some((b) => b.epoch > a.epoch && b.vt < a.vt),
    );
    expect(overtaken.length).toBeGreaterThan(0);
  });

  it('--partition: what crosses the cut is lost; at-least-once resends it all once it heals', async () => {
    const args = ['--seed', '5', '--window', '3', '--partition', 'w2@50:400'];
    const most = await runJson(['run', 'at-most-once', ...args], home);
    const least = await runJson(['run', 'at-least-once', ...args], home);
    const lost = (report: typeof most, direction: string) =>
      journal(join(report.runDir, 'journal', 'dispatcher.jsonl')).filter(
        (e) => e.kind === 'fault' && e.fault === 'partition' && e.direction === direction,
      );
    for (const report of [most, least]) {
      expect(report.consistency.ok).toBe(true);
      const cut = [...lost(report, 'work'), ...lost(report, 'ack')];
      expect(report.faults[0]?.injected).toBe(cut.length);
      // Only w2 is cut, and only between 50 and 450 ms of the run's time.
      for (const e of cut) {
        expect(e.worker).toBe('w2');
        expect(e.vt as number).toBeGreaterThanOrEqual(50);
        expect(e.vt as number).toBeLessThan(450);
      }
    }
    // At-most-once: exactly the work sent into the partition is lost.
    expect(most.lost).toBe(lost(most, 'work').length);
    expect(most.lost).toBeGreaterThan(0);
    // At-least-once: one retry per message caught; the cut acks' work ran twice; nothing lost.
    expect(least.lost).toBe(0);
    expect(least.retries).toBe(least.faults[0]?.injected);
    expect(least.duplicateExecutions).toBe(lost(least, 'ack').length);
    const stories = await anomalies(most.runId);
    expect(stories.map((s) => s.cause?.kind)).toEqual(stories.map(() => 'partitioned'));
  });
});
