import type { ClockKind } from '../clock/clock.js';

/**
 * An event's instant, one definition for every reader: `semlab trace` and its --json, --events,
 * the terminal sequence diagram (history.ts timedEvents) and the HTML report (html-model.ts).
 * Pure: no file is read here, so the report's model can use it without the journal readers.
 */

/**
 * How a run places its events in time: its clock, and the wall instant it started (runStartT).
 */
export interface RunTimeline {
  readonly clock: ClockKind;
  readonly startT: number;
}

/**
 * When a run started, as every reader counts it: the wall `t` of its first send. Not its first
 * journalled event: the workers take a second or two to start on a slow machine, and counting
 * from the first worker start would push every instant of the run by that much. A run that sent
 * nothing starts at its first event. What happened before the first send (worker starts, a crash
 * of a worker still starting) sits at instant 0 (see eventInstant): an instant is never negative.
 */
export function runStartT(firstSendT: number | undefined, firstEventT: number): number {
  return firstSendT ?? firstEventT;
}

/**
 * The instant of one event, in ms, as every reader shows it (trace, --events, the terminal
 * diagram, the HTML report): on the virtual clock its virtual instant `vt`; on the real clock the
 * wall ms since the run started (runStartT), 0 for what came before. Some events of a
 * virtual-clock run carry no `vt`: the supervisor's (it has no clock of its own) and the effects
 * a store recorded itself. They take `carried`, the virtual instant of the last event before them
 * in wall time: virtual time stands still while real work goes on, so that is the instant the run
 * was at (0 before any). Journals of runs older than the virtual clock have no `clock` in their
 * plan: real.
 */
export function eventInstant(
  event: { readonly t: number; readonly vt?: number },
  timeline: RunTimeline,
  carried = 0,
): number {
  if (timeline.clock === 'virtual') return event.vt ?? carried;
  // Whole and tenths of ms: the wall clock's microseconds are noise for a reader.
  return Math.max(0, Math.round((event.t - timeline.startT) * 10) / 10);
}
