import type { CrashFault, CrashPoint, Direction, FaultSpec, LinkFault } from './spec.js';

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

export type LinkDecision =
  | { readonly action: 'pass' }
  | { readonly action: 'drop'; readonly fault: LinkFault }
  | { readonly action: 'delay'; readonly ms: number; readonly fault: LinkFault };

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
): LinkDecision {
  let decision: LinkDecision = { action: 'pass' };
  faults.forEach((fault, index) => {
    if (fault.type !== 'drop' && fault.type !== 'delay') return;
    if (fault.direction !== direction) return;
    const draw = uniform(seed, epoch, attempt, index * 2 + DIRECTION_STREAM[direction]);
    if (draw >= fault.probability) return;
    if (fault.type === 'drop') {
      decision = { action: 'drop', fault };
    } else if (
      decision.action === 'pass' ||
      (decision.action === 'delay' && fault.ms > decision.ms)
    ) {
      decision = { action: 'delay', ms: fault.ms, fault };
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
