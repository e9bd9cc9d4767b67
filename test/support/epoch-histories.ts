import type { JournalEvent } from '../../src/core/journal.js';
import type { RunPlan } from '../../src/core/run-plan.js';
import { epochLife, type EpochLife } from '../../src/report/epoch-life.js';
import { Tracer } from '../../src/report/trace.js';

/**
 * Hand-made histories of one epoch, each event with the journal that holds it, read the way
 * `semlab trace` reads a run (virtual clock: `vt` is the instant), turned into the epoch's life.
 */
export type Journalled = readonly [journal: string, event: JournalEvent];

export const PLAN = {
  messages: 1,
  workers: 2,
  timeoutMs: 200,
  store: 'sqlite',
  restartDelayMs: 200,
  clock: 'virtual',
  faults: [{ type: 'crash', point: 'after-execute', every: 1 }],
} as const satisfies Partial<RunPlan>;

export function lifeOf(
  semantics: RunPlan['semantics'],
  history: readonly Journalled[],
  workerStarts: readonly { worker: string; incarnation: number; at: number }[] = [],
): EpochLife {
  const tracer = new Tracer({ ...PLAN, semantics });
  for (const [journal, event] of history) tracer.addEvent(event, { at: event.vt ?? 0, journal });
  const [story] = [...tracer.stories()];
  if (!story) throw new Error('no story');
  return epochLife(story, PLAN, workerStarts);
}

const ep = { epoch: 1 };
/** Wall time: in the order the events are listed, as the journals hold them. */
let wall = 1000;
const d = (vt: number, e: Record<string, unknown>): Journalled => [
  'dispatcher',
  { t: wall++, vt, ...ep, ...e } as JournalEvent,
];
const w = (journal: string, vt: number, kind: string, attempt: number): Journalled => [
  journal,
  { t: wall++, vt, ...ep, kind, attempt, worker: journal.split('.')[0] } as JournalEvent,
];

/** at-most-once: the only send dropped by the network. */
export const DROP: readonly Journalled[] = [
  d(0, { kind: 'send', attempt: 1 }),
  d(0, { kind: 'fault', fault: 'drop', direction: 'work', attempt: 1, spec: 0 }),
  d(200, { kind: 'timeout', attempt: 1, retry: false }),
];

/** at-least-once: w1 runs it, its ack is dropped, the timeout sends it again to w2. */
export const LOST_ACK: readonly Journalled[] = [
  d(0, { kind: 'send', attempt: 1 }),
  w('w1.0', 1, 'receive', 1),
  w('w1.0', 1, 'execute', 1),
  w('w1.0', 1, 'reply', 1),
  d(2, { kind: 'fault', fault: 'drop', direction: 'ack', attempt: 1, spec: 0 }),
  d(200, { kind: 'timeout', attempt: 1, retry: true }),
  d(200, { kind: 'send', attempt: 2 }),
  w('w2.0', 201, 'receive', 2),
  w('w2.0', 201, 'execute', 2),
  w('w2.0', 201, 'reply', 2),
  d(202, { kind: 'ack', attempt: 2, worker: 'w2' }),
];

/** exactly-once: w1 dies after executing, before marking; restarted, it runs it again. */
export const CRASH: readonly Journalled[] = [
  d(0, { kind: 'send', attempt: 1 }),
  w('w1.0', 1, 'receive', 1),
  w('w1.0', 1, 'execute', 1),
  [
    'w1.0',
    {
      t: wall++,
      vt: 1,
      kind: 'crash',
      point: 'after-execute',
      epoch: 1,
      attempt: 1,
      worker: 'w1',
      fault: 0,
    },
  ],
  d(200, { kind: 'timeout', attempt: 1, retry: true }),
  d(200, { kind: 'send', attempt: 2 }),
  w('w1.1', 202, 'receive', 2),
  w('w1.1', 202, 'execute', 2),
  w('w1.1', 202, 'mark', 2),
  w('w1.1', 202, 'reply', 2),
  d(203, { kind: 'ack', attempt: 2, worker: 'w1' }),
];
export const CRASH_STARTS = [
  { worker: 'w1', incarnation: 0, at: 0 },
  { worker: 'w1', incarnation: 1, at: 150 },
];

/** exactly-once: the ack is held back past the timeout; w2 finds the mark and skips it. */
export const SKIP: readonly Journalled[] = [
  d(0, { kind: 'send', attempt: 1 }),
  w('w1.0', 1, 'receive', 1),
  w('w1.0', 1, 'execute', 1),
  w('w1.0', 1, 'mark', 1),
  w('w1.0', 1, 'reply', 1),
  d(2, { kind: 'fault', fault: 'delay', direction: 'ack', attempt: 1, ms: 500, spec: 0 }),
  d(200, { kind: 'timeout', attempt: 1, retry: true }),
  d(200, { kind: 'send', attempt: 2 }),
  w('w2.0', 201, 'receive', 2),
  w('w2.0', 201, 'skip', 2),
  w('w2.0', 201, 'reply', 2),
  d(202, { kind: 'ack', attempt: 2, worker: 'w2' }),
  d(502, { kind: 'ack', attempt: 1, worker: 'w1' }),
];

/**
 * at-least-once with `--delay-ack`: w1's ack is held back 500 ms, past the 200 ms timeout; the
 * dispatcher sends it again, w2 runs it again, and the late ack arrives when it no longer helps.
 */
export const SLOW_ACK: readonly Journalled[] = [
  d(0, { kind: 'send', attempt: 1 }),
  w('w1.0', 1, 'receive', 1),
  w('w1.0', 1, 'execute', 1),
  w('w1.0', 1, 'reply', 1),
  d(2, { kind: 'fault', fault: 'delay', direction: 'ack', attempt: 1, ms: 500, spec: 0 }),
  d(200, { kind: 'timeout', attempt: 1, retry: true }),
  d(200, { kind: 'send', attempt: 2 }),
  w('w2.0', 201, 'receive', 2),
  w('w2.0', 201, 'execute', 2),
  w('w2.0', 201, 'reply', 2),
  d(202, { kind: 'ack', attempt: 2, worker: 'w2' }),
  d(502, { kind: 'ack', attempt: 1, worker: 'w1' }),
];
