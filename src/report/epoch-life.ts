import type { ClockKind } from '../clock/clock.js';
import type { RunPlan } from '../core/run-plan.js';
import type { EpochStory, TimedStep, WorkerStart } from './trace.js';

/**
 * The life of one epoch as a picture sees it: lanes (the dispatcher, each worker incarnation that
 * touched the epoch, the dedupe store) and rows in time order (an arrow between two lanes, or a
 * mark on one), each at its instant in ms. A pure function of the epoch's story (trace.ts) and
 * the run's worker starts, so every picture draws the same life: the terminal's sequence diagram
 * (sequence-diagram.ts) and the HTML report.
 *
 * Contract:
 * - `lanes[0]` is the dispatcher; worker lanes follow, by worker (w1, w2, …, w10) then
 *   incarnation; the store lane comes last, present only when the epoch was marked or skipped.
 *   A worker lane has an `id` "w2.1" (worker w2, incarnation 1, as its journal file is named).
 * - `rows` are sorted by `at`; rows of one instant keep the order of the journals.
 * - Arrows are placed at the instant they arrive (a work message at its receipt, an ack at the
 *   dispatcher); a message that never arrives (dropped, held back, lost in a dead worker's
 *   queue) at the instant it was sent.
 * - A restart is a row on the new incarnation's lane: on the virtual clock at the crash's instant
 *   plus the restart delay that applied (exact: the dispatcher's clock starts it then); on the
 *   real clock at the supervisor's start of the incarnation.
 */

export interface Lane {
  readonly kind: 'dispatcher' | 'worker' | 'store';
  /** "dispatcher", "store", or a worker incarnation "w2.1". */
  readonly id: string;
  readonly worker?: string;
  readonly incarnation?: number;
}

/** One row of the picture; `lane`, `from` and `to` are lane ids. */
export type LifeRow = { readonly at: number } & (
  | { readonly kind: 'work'; readonly attempt: number; readonly to: string }
  | { readonly kind: 'work-dropped'; readonly attempt: number; readonly live?: boolean }
  | { readonly kind: 'work-held'; readonly attempt: number; readonly ms: number }
  /** Sent, never received and not dropped: it died in a dead worker's queue. */
  | { readonly kind: 'work-unreceived'; readonly attempt: number }
  | { readonly kind: 'effect'; readonly lane: string; readonly again: boolean }
  | { readonly kind: 'mark'; readonly lane: string }
  | { readonly kind: 'skip'; readonly lane: string }
  | { readonly kind: 'crash'; readonly lane: string; readonly point: string }
  | { readonly kind: 'restart'; readonly lane: string }
  | { readonly kind: 'ack'; readonly attempt: number; readonly from: string }
  | {
      readonly kind: 'ack-dropped';
      readonly attempt: number;
      readonly from: string;
      readonly live?: boolean;
    }
  | { readonly kind: 'ack-held'; readonly attempt: number; readonly from: string; ms: number }
  /** Sent by the worker, never seen by the dispatcher, and no fault says why. */
  | { readonly kind: 'ack-unseen'; readonly attempt: number; readonly from: string }
  /** A held-back ack reaching the dispatcher, after its timeout. */
  | { readonly kind: 'ack-late'; readonly attempt: number }
  | { readonly kind: 'timeout'; readonly attempt: number; readonly retry: boolean }
);

export interface EpochLife {
  readonly epoch: number;
  readonly outcome: EpochStory['outcome'];
  readonly executions: number;
  readonly cause?: EpochStory['cause'];
  readonly clock: ClockKind;
  readonly lanes: readonly Lane[];
  readonly rows: readonly LifeRow[];
}

export type LifePlan = Pick<RunPlan, 'restartDelayMs' | 'faults'> & { readonly clock?: ClockKind };

export function laneId(worker: string, incarnation: number | undefined): string {
  return `${worker}.${incarnation ?? 0}`;
}

/** The life of one epoch, from its story and the run's worker starts (RunTrace.workerStarts). */
export function epochLife(
  story: EpochStory,
  plan: LifePlan,
  workerStarts: readonly WorkerStart[] = [],
): EpochLife {
  const clock = plan.clock ?? 'real';
  const steps = story.timeline;
  const rows: { row: LifeRow; order: number }[] = [];
  const add = (row: LifeRow, order: number): void => void rows.push({ row, order });
  const workerLanes = new Map<string, Lane>();
  const touch = (worker: string, incarnation: number | undefined): string => {
    const id = laneId(worker, incarnation);
    if (!workerLanes.has(id)) {
      workerLanes.set(id, { kind: 'worker', id, worker, incarnation: incarnation ?? 0 });
    }
    return id;
  };
  const of = (step: TimedStep & { worker: string }): string => touch(step.worker, step.incarnation);
  const used = new Set<number>();
  /** The first step after `from` that `match` accepts and no row took yet. */
  const find = (from: number, match: (step: TimedStep) => boolean): number => {
    for (let i = from + 1; i < steps.length; i++) {
      if (!used.has(i) && match(steps[i] as TimedStep)) return i;
    }
    return -1;
  };

  steps.forEach((step, i) => {
    if (used.has(i)) return;
    switch (step.kind) {
      case 'send': {
        const attempt = step.attempt;
        // A partition loses the work like a drop does: drawn as one.
        const dropped = find(
          i,
          (s) =>
            (s.kind === 'work-dropped' || (s.kind === 'partitioned' && s.direction === 'work')) &&
            s.attempt === attempt,
        );
        if (dropped >= 0) {
          used.add(dropped);
          const live = (steps[dropped] as { live?: boolean }).live;
          add({ kind: 'work-dropped', at: step.at, attempt, ...(live ? { live } : {}) }, i);
          return;
        }
        const held = find(i, (s) => s.kind === 'work-held' && s.attempt === attempt);
        if (held >= 0) {
          used.add(held);
          const ms = (steps[held] as { ms: number }).ms;
          add({ kind: 'work-held', at: step.at, attempt, ms }, i);
        }
        const receipt = find(i, (s) => s.kind === 'receive' && s.attempt === attempt);
        if (receipt < 0) {
          if (held < 0) add({ kind: 'work-unreceived', at: step.at, attempt }, i);
          return;
        }
        used.add(receipt);
        const received = steps[receipt] as TimedStep & { worker: string };
        add({ kind: 'work', at: received.at, attempt, to: of(received) }, receipt);
        return;
      }
      case 'receive':
        // A receipt no send of ours explains: the transport delivered the attempt again.
        add({ kind: 'work', at: step.at, attempt: step.attempt, to: of(step) }, i);
        return;
      case 'execute':
        add({ kind: 'effect', at: step.at, lane: of(step), again: step.again }, i);
        return;
      case 'mark':
        add({ kind: 'mark', at: step.at, lane: of(step) }, i);
        return;
      case 'skip':
        add({ kind: 'skip', at: step.at, lane: of(step) }, i);
        return;
      case 'crash': {
        const lane = of(step);
        add({ kind: 'crash', at: step.at, lane, point: step.point }, i);
        const next = (step.incarnation ?? 0) + 1;
        const start = workerStarts.find((s) => s.worker === step.worker && s.incarnation === next);
        if (!start) return;
        const at =
          clock === 'virtual' ? step.at + restartDelay(plan, step.fault, step.point) : start.at;
        add({ kind: 'restart', at, lane: touch(step.worker, next) }, i);
        return;
      }
      case 'reply': {
        const from = of(step);
        const attempt = step.attempt;
        const sameAck = (s: TimedStep): boolean =>
          (s.kind === 'ack-dropped' ||
            s.kind === 'ack-held' ||
            (s.kind === 'partitioned' && s.direction === 'ack')) &&
          s.attempt === attempt;
        const fault = find(i, sameAck);
        const arrived = find(
          i,
          (s) => s.kind === 'ack' && s.attempt === attempt && s.worker === step.worker,
        );
        if (arrived >= 0) used.add(arrived);
        if (fault >= 0) {
          used.add(fault);
          const f = steps[fault] as TimedStep;
          if (f.kind === 'ack-dropped' || f.kind === 'partitioned') {
            add(
              {
                kind: 'ack-dropped',
                at: step.at,
                attempt,
                from,
                ...(f.kind === 'ack-dropped' && f.live ? { live: true } : {}),
              },
              i,
            );
          } else if (f.kind === 'ack-held') {
            add({ kind: 'ack-held', at: step.at, attempt, from, ms: f.ms }, i);
            if (arrived >= 0)
              add({ kind: 'ack-late', at: (steps[arrived] as TimedStep).at, attempt }, arrived);
          }
          return;
        }
        if (arrived >= 0) {
          add({ kind: 'ack', at: (steps[arrived] as TimedStep).at, attempt, from }, arrived);
        } else {
          add({ kind: 'ack-unseen', at: step.at, attempt, from }, i);
        }
        return;
      }
      case 'ack':
        // An ack whose reply no journal holds (the worker's journal was cut short).
        add(
          { kind: 'ack', at: step.at, attempt: step.attempt, from: touch(step.worker, undefined) },
          i,
        );
        return;
      case 'timeout':
        add({ kind: 'timeout', at: step.at, attempt: step.attempt, retry: step.retry }, i);
        return;
      case 'work-dropped':
      case 'work-held':
      case 'ack-dropped':
      case 'ack-held':
        // A fault whose send or reply no journal holds: told on the dispatcher's side.
        if (step.kind === 'work-dropped')
          add({ kind: 'work-dropped', at: step.at, attempt: step.attempt }, i);
        else if (step.kind === 'work-held')
          add({ kind: 'work-held', at: step.at, attempt: step.attempt, ms: step.ms }, i);
        return;
    }
  });

  rows.sort((a, b) => a.row.at - b.row.at || a.order - b.order);
  const hasStore = rows.some((r) => r.row.kind === 'mark' || r.row.kind === 'skip');
  const workers = [...workerLanes.values()].sort(
    (a, b) =>
      (a.worker ?? '').localeCompare(b.worker ?? '', 'en', { numeric: true }) ||
      (a.incarnation ?? 0) - (b.incarnation ?? 0),
  );
  return {
    epoch: story.epoch,
    outcome: story.outcome,
    executions: story.executions,
    ...(story.cause ? { cause: story.cause } : {}),
    clock,
    lanes: [
      { kind: 'dispatcher', id: 'dispatcher' },
      ...workers,
      ...(hasStore ? [{ kind: 'store', id: 'store' } as const] : []),
    ],
    rows: rows.map((r) => r.row),
  };
}

/** The restart delay of the crash spec that fired (as the supervisor picks it). */
function restartDelay(plan: LifePlan, fault: number | undefined, point: string): number {
  // Journals older than the crash's fault index name only its point.
  const spec =
    fault === undefined
      ? plan.faults.find((f) => f.type === 'crash' && f.point === point)
      : plan.faults[fault];
  return spec?.type === 'crash' && spec.restartMs !== undefined
    ? spec.restartMs
    : plan.restartDelayMs;
}
