import { uniform } from './decide.js';
import type { Direction, FaultSpec } from './spec.js';

/**
 * What the network does to a message besides dropping or delaying it (./decide.ts): deliver it
 * twice (`duplicate`), or let later ones overtake it (`reorder`). Pure functions of (seed, epoch,
 * attempt, direction, index of the fault), on random streams of their own, so adding one of these
 * to a run never changes which messages its drops and delays hit.
 */

/** Streams of these faults start here: apart from link faults (2·index + direction) and work. */
const EXTRA_STREAM_BASE = 1 << 21;
const DIRECTION_STREAM: Record<Direction, number> = { work: 0, ack: 1 };

export interface ExtraDecision {
  /** Index of the duplicate spec that fired: the message goes out twice. */
  readonly duplicate?: number;
  /** The reorder spec that fired: the message is held back `ms` while later ones pass. */
  readonly reorder?: { readonly ms: number; readonly index: number };
}

export function decideExtra(
  faults: readonly FaultSpec[],
  seed: number,
  epoch: number,
  attempt: number,
  direction: Direction,
): ExtraDecision {
  let duplicate: number | undefined;
  let reorder: ExtraDecision['reorder'];
  faults.forEach((fault, index) => {
    if (fault.type !== 'duplicate' && fault.type !== 'reorder') return;
    if (fault.type === 'duplicate' && fault.direction !== direction) return;
    const stream = EXTRA_STREAM_BASE + index * 2 + DIRECTION_STREAM[direction];
    if (uniform(seed, epoch, attempt, stream) >= fault.probability) return;
    if (fault.type === 'duplicate') duplicate ??= index;
    else reorder ??= { ms: fault.ms, index };
  });
  return {
    ...(duplicate !== undefined ? { duplicate } : {}),
    ...(reorder ? { reorder } : {}),
  };
}
