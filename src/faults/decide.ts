import type {
  CrashFault,
  CrashPoint,
  Direction,
  FaultSpec,
  LinkFault,
  PauseFault,
} from './spec.js';

/**
 * Seeded, stateless fault decisions. Each decision is a pure function of
 * (seed, epoch, attempt, direction, index of the fault in the list), so the same scenario gives the
 * same drops and delays whatever the transport, the timing or the order in which messages travel.
 */

/** A uniform number in [0, 1) from the inputs, by an integer hash (murmur3's finalizer, chained). */
export function uniform(seed: number, epoch: number, attempt: number, stream: number): number {
  let h = mix(seed ^ 0x9e3779b9);
  h = mix(h ^ epoch);
  h = mix(h ^ Math.imul(attempt, 0x85ebca6b));
  h = mix(h ^ Math.imul(stream + 1, 0xc2b2ae35));
  return (h >>> 0) / 0x1_0000_0000;
}

function mix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const DIRECTION_STREAM: Record<Direction, number> = { work: 0, ack: 1 };

/** `index`: the position of the fault that fired in the list it was decided from. */
export type LinkDecision =
  | { readonly action: 'pass' }
  | { readonly action: 'drop'; readonly fault: LinkFault; readonly index: number }
  | {
      readonly action: 'delay';
      readonly ms: number;
      readonly fault: LinkFault;
      readonly index: number;
    };

/**
 * Random streams of the live view's switches start here, far from the run's own faults (stream
 * 2·index + direction), so a live switch never draws the same number as a planned fault of the
 * same kind: with `--drop-work 0.3` on, the live "drop work" switch still drops its own 30%.
 */
export const LIVE_STREAM_BASE = 1 << 20;

/**
 * What the fault layer does to one message on one link direction. Drops win over delays; among
 * several delays that fire, the longest applies.
 */
export function decideLink(
  faults: readonly FaultSpec[],
  seed: number,
  epoch: number,
  attempt: number,
  direction: Direction,
  /** Where this list's random streams start: 0 for the run's faults, LIVE_STREAM_BASE for live. */
  streamBase = 0,
): LinkDecision {
  let decision: LinkDecision = { action: 'pass' };
  faults.forEach((fault, index) => {
    if (fault.type !== 'drop' && fault.type !== 'delay') return;
    if (fault.direction !== direction) return;
    const draw = uniform(
      seed,
      epoch,
      attempt,
      streamBase + index * 2 + DIRECTION_STREAM[direction],
    );
    if (draw >= fault.probability) return;
    if (fault.type === 'drop') {
      // The first drop that fires wins; later ones cannot take the credit.
      if (decision.action !== 'drop') decision = { action: 'drop', fault, index };
    } else if (
      decision.action === 'pass' ||
      (decision.action === 'delay' && fault.ms > decision.ms)
    ) {
      decision = { action: 'delay', ms: fault.ms, fault, index };
    }
  });
  return decision;
}

/**
 * The crash fault (if any) scheduled at `point` for this epoch: every k-th epoch. Whether it still
 * fires is the crash gate's call (./crash-gate.ts): once per epoch, on its first delivery.
 */
export function decideCrash(
  faults: readonly FaultSpec[],
  point: CrashPoint,
  epoch: number,
): CrashFault | undefined {
  for (const fault of faults) {
    if (fault.type === 'crash' && fault.point === point && epoch % fault.every === 0) return fault;
  }
  return undefined;
}

/**
 * The pause fault (if any) scheduled at `point` for this epoch, with its index in the list: every
 * k-th epoch, like a crash. Whether it still fires is the gate's call: once per epoch.
 */
export function decidePause(
  faults: readonly FaultSpec[],
  point: CrashPoint,
  epoch: number,
): { fault: PauseFault; index: number } | undefined {
  const index = faults.findIndex(
    (fault) => fault.type === 'pause' && fault.point === point && epoch % fault.every === 0,
  );
  const fault = faults[index];
  return fault?.type === 'pause' ? { fault, index } : undefined;
}
