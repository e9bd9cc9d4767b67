import { uniform } from './decide.js';
import type { FaultSpec } from './spec.js';

/**
 * How long one delivery takes to handle (`--work-ms MS[±J]`): a pure function of the plan's
 * faults, the seed, the epoch and the attempt, so the worker (which journals and, on the real
 * clock, sleeps it) and the virtual network (which advances the run's time by it) agree without
 * telling each other.
 */

/** Random streams of work times start here, apart from the link faults' (2·index + direction). */
const WORK_STREAM_BASE = 1 << 19;

export interface WorkTime {
  readonly ms: number;
  /** The index in the plan's fault list of the work spec. */
  readonly index: number;
}

/** The handling time of this attempt, or undefined when the run's work is instant. */
export function decideWorkTime(
  faults: readonly FaultSpec[],
  seed: number,
  epoch: number,
  attempt: number,
): WorkTime | undefined {
  const index = faults.findIndex((fault) => fault.type === 'work');
  const fault = faults[index];
  if (!fault || fault.type !== 'work') return undefined;
  const jitter = fault.jitterMs ?? 0;
  if (jitter === 0) return { ms: fault.ms, index };
  // Uniform over the whole milliseconds from ms - jitter to ms + jitter, never below 0.
  const draw = uniform(seed, epoch, attempt, WORK_STREAM_BASE + index);
  const offset = Math.floor(draw * (2 * jitter + 1)) - jitter;
  return { ms: Math.max(0, fault.ms + offset), index };
}
