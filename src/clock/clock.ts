/**
 * The run's clock: the one place where the dispatcher, the fault layer and the routing of work
 * learn what time it is and ask to be woken later. Two implementations, one interface, so nothing
 * else knows which one runs:
 *
 * - `RealClock` (./real-clock.ts): wall time and Node's timers. A loaded machine, a GC pause or a
 *   slow broker shows in the numbers, which is a lesson of its own (`--clock real`).
 * - `VirtualClock` (./virtual-clock.ts): a discrete-event clock. Timers are events in a queue, and
 *   time jumps to the next event only when nothing real is still moving: every piece of real work
 *   in progress (a message handed to a worker and not yet answered, a worker being started) holds
 *   the clock, and the clock advances only once every hold is released. A timeout therefore fires
 *   only for a reason the run itself caused (a drop, a delay past the timeout, a dead worker),
 *   never because the machine was busy, and the same seed gives the same history on any machine.
 *
 * Times are milliseconds since the run's clock started (0 at `go`).
 */
export interface Clock {
  readonly kind: ClockKind;
  /** Milliseconds since the clock started. */
  now(): number;
  /** Runs `action` once `ms` have passed on this clock. Returns a function that cancels it. */
  after(ms: number, action: () => void): Cancel;
  /**
   * Declares real work in progress: a virtual clock does not advance until the returned function
   * is called (once; later calls do nothing). A real clock ignores holds. `why` names the work, for
   * the watchdog's diagnosis when a hold lasts too long.
   */
  hold(why: string): Release;
}

export type ClockKind = 'real' | 'virtual';
export const CLOCK_KINDS: readonly ClockKind[] = ['virtual', 'real'];

export type Cancel = () => void;
export type Release = () => void;
