import type { Direction, FaultSpec } from './spec.js';

/**
 * Is `worker` cut off in `direction` at `now` (the run's clock)? The index of the partition spec
 * that cuts it, or -1. A pure function of the plan and the instant: on the virtual clock the same
 * messages cross the cut on every run.
 */
export function partitionAt(
  faults: readonly FaultSpec[],
  worker: string,
  direction: Direction,
  now: number,
): number {
  return faults.findIndex(
    (fault) =>
      fault.type === 'partition' &&
      fault.worker === worker &&
      (fault.direction === undefined || fault.direction === direction) &&
      now >= fault.atMs &&
      now < fault.atMs + fault.ms,
  );
}
