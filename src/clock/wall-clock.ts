import { performance } from 'node:perf_hooks';

/**
 * The wall clock, whatever the run's clock (./clock.ts) is: every journal line carries it as `t`,
 * beside a virtual run's `vt`.
 *
 * Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one
 * machine (each process adds its own monotonic clock to its own start time). Journals from several
 * processes are merged by this value, so Date.now()'s 1 ms steps would tie too often.
 */
export function nowMs(): number {
  return nowMicros() / 1000;
}

/** `nowMs()` in whole microseconds (the journal writes it as milliseconds, src/core/line-bytes.ts). */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
