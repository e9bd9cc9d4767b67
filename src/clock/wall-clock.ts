import { performance } from 'node:perf_hooks';

/**
 * The wall clock, whatever the run's clock (./clock.ts) is: every journal line carries it as `t`,
 * beside a virtual run's `vt`.
 *
 * Wall-clock milliseconds with sub-millisecond precision, comparable across the processes of a run:
 * journals from several processes are merged by this value, so a worker's receipt must not sort
 * before the dispatcher's send that caused it, nor a supervisor's note of a death before the
 * crash the worker journalled.
 *
 * Why not `performance.timeOrigin + performance.now()` in each process: each process pins its own
 * monotonic clock to the wall clock once, as it starts, and a process preempted while it does so
 * (a loaded machine, which is when semlab starts its workers) is pinned off by as long as it
 * waited. So `t` is the machine's monotonic clock (CLOCK_MONOTONIC, one for every process) plus
 * one offset to the wall clock, taken once by the process that starts the run and handed to every
 * process it starts (`wallClockEnv`).
 */

/**
 * The environment variable that carries the run's offset (wall ms minus monotonic ms), as
 * `<pid of the process that set it>:<offset>`: only that process's own children take it, so a
 * value left in a shell's environment (an `export`, an earlier boot) is never taken for the run's.
 */
const OFFSET_ENV = 'SEMLAB_WALL_CLOCK_OFFSET_MS';

/** The machine's monotonic clock, in ms. */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Where this process's performance.now() stands on the monotonic clock: read between two monotonic
 * readings, the closest of a few pairs, so a preemption in one pair does not count.
 */
function performanceZeroMs(): number {
  monotonicMs(); // The first call pays for loading BigInt support: keep it out of the pairs.
  let best = { window: Number.POSITIVE_INFINITY, zero: 0 };
  for (let i = 0; i < 5; i++) {
    const before = monotonicMs();
    const now = performance.now();
    const after = monotonicMs();
    if (after - before < best.window)
      best = { window: after - before, zero: (before + after) / 2 - now };
  }
  return best.zero;
}

/** The offset handed down by the process that started this one, else this process's own. */
function runOffsetMs(): number {
  const [setBy, offset] = (process.env[OFFSET_ENV] ?? '').split(':');
  const parsed = Number(offset);
  if (setBy === String(process.ppid) && offset !== '' && Number.isFinite(parsed)) return parsed;
  return Date.now() - monotonicMs();
}

const PERFORMANCE_ZERO_MS = performanceZeroMs();
const OFFSET_MS = runOffsetMs();
/** Both at once: one addition per reading (performance.now() is the cheap monotonic read). */
const BASE_MS = OFFSET_MS + PERFORMANCE_ZERO_MS;

export function nowMs(): number {
  return nowMicros() / 1000;
}

/** `nowMs()` in whole microseconds (the journal writes it as milliseconds, src/core/line-bytes.ts). */
export function nowMicros(): number {
  return Math.round((BASE_MS + performance.now()) * 1000);
}

/** What a process started by this one needs in its environment to share this clock. */
export function wallClockEnv(): Record<string, string> {
  return { [OFFSET_ENV]: `${process.pid}:${OFFSET_MS}` };
}
