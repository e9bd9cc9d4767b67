import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, makeSemlabHome, runJson, startSemlab } from '../support/semlab.js';

const WALL_CLOCK = resolve(import.meta.dirname, '../../dist/clock/wall-clock.js');
const NAIVE_WORKER = resolve(import.meta.dirname, '../../examples/workers/naive.py');
const OFFSET_ENV = 'SEMLAB_WALL_CLOCK_OFFSET_MS';

type Line = { t: number; kind: string; epoch?: number; attempt?: number };

/** A child process's `t` minus the machine's monotonic clock (which every process shares). */
function offsetInChild(env: Record<string, string>): number {
  const script =
    `const { nowMs } = await import(${JSON.stringify(WALL_CLOCK)});` +
    'const t = nowMs(); console.log(t - Number(process.hrtime.bigint()) / 1e6);';
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(child.status, child.stderr).toBe(0);
  return Number(child.stdout);
}

/**
 * Every journal's `t` is on one clock (src/clock/wall-clock.ts): the run's first process fixes the
 * offset from the machine's monotonic clock to the wall clock, and the processes it starts take
 * it, instead of each pinning its own (off by as long as it was preempted while doing so).
 */
describe('the wall clock of a run', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it('takes the offset its parent hands down, to the microsecond', () => {
    // An offset no process would pin by itself: 5 s ahead of the real one.
    const own = Date.now() - Number(process.hrtime.bigint()) / 1e6;
    const given = own + 5000;
    for (let i = 0; i < 3; i++) {
      const read = offsetInChild({ [OFFSET_ENV]: `${process.pid}:${given}` });
      expect(Math.abs(read - given)).toBeLessThan(0.05);
    }
  });

  it('ignores an offset left in the environment by a process that is not its parent', () => {
    const own = Date.now() - Number(process.hrtime.bigint()) / 1e6;
    // pid 1 did not start it: taken, this offset would put `t` in 1970.
    const read = offsetInChild({ [OFFSET_ENV]: '1:12345' });
    expect(Math.abs(read - own)).toBeLessThan(50);
  });

  it('is handed down by semlab to every process of a run', async () => {
    // A student's program inherits its semlab worker's environment: it shows what the worker got.
    const seen = join(home, 'offsets-seen');
    const child = startSemlab(
      [
        'run',
        'at-least-once',
        '--messages',
        '20',
        '--workers',
        '2',
        '--worker-cmd',
        `sh -c 'echo "$${OFFSET_ENV}" >> ${seen}; exec python3 ${NAIVE_WORKER}'`,
      ],
      home,
    );
    const { code, stderr } = await finished(child);
    expect(code, stderr).toBe(0);
    const values = readFileSync(seen, 'utf8').trim().split('\n');
    expect(values).toHaveLength(2);
    // Set by the semlab process itself (the supervisor), with one offset for both workers.
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(new RegExp(`^${child.pid}:\\d+(\\.\\d+)?$`));
  });

  it('orders each message’s lines across processes: send, receive, execute, reply, ack', async () => {
    const report = await runJson(
      ['run', 'at-least-once', '--messages', '3000', '--workers', '3', '--clock', 'real', '--json'],
      home,
    );
    expect(report.status).toBe('completed');
    const journalDir = join(report.runDir, 'journal');
    const at = new Map<string, number>();
    for (const name of readdirSync(journalDir)) {
      if (!/^(dispatcher|w\d+\.\d+)\.jsonl$/.test(name)) continue;
      for (const text of readFileSync(join(journalDir, name), 'utf8').trim().split('\n')) {
        const line = JSON.parse(text) as Line;
        at.set(`${line.kind} ${line.epoch}:${line.attempt}`, line.t);
      }
    }
    let checked = 0;
    for (const [name, t] of at) {
      if (!name.startsWith('ack ')) continue;
      const message = name.slice('ack '.length);
      const times = ['send', 'receive', 'execute', 'reply'].map((kind) =>
        at.get(`${kind} ${message}`),
      );
      expect(
        times.every((time) => time !== undefined),
        message,
      ).toBe(true);
      const ordered = [...(times as number[]), t];
      expect(ordered, message).toEqual([...ordered].sort((a, b) => a - b));
      checked++;
    }
    // At least one ack per message; a retry under load adds the ack of its own attempt.
    expect(checked).toBeGreaterThanOrEqual(3000);
  });
});
