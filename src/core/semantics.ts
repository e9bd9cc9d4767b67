/**
 * The five delivery-semantics presets of design.md section 1.
 *
 * A preset decides two things: whether the dispatcher retries a message whose ack did not arrive in
 * time, and which steps the worker takes between receiving a message and acking it. Everything
 * else (transport, store, faults) is orthogonal, which is the point of the lab: the same faults
 * produce different outcomes only because of these two choices.
 */
export const SEMANTICS_NAMES = [
  'at-most-once',
  'at-least-once',
  'exactly-once',
  'exactly-once-atomic',
  'at-most-once-execution',
] as const;

export type SemanticsName = (typeof SEMANTICS_NAMES)[number];

/**
 * The worker's steps, in order, between receive and ack.
 * - `execute`: execute → ack (no dedupe).
 * - `check-execute-mark`: the slides' main(): already executed? skip : (execute → mark).
 * - `atomic`: check, execute and mark in one store transaction.
 * - `mark-then-execute`: mark first (skip if it was already marked), then execute.
 */
export type WorkerSteps = 'execute' | 'check-execute-mark' | 'atomic' | 'mark-then-execute';

export interface SemanticsPreset {
  readonly name: SemanticsName;
  /** Does the dispatcher resend a message whose ack did not arrive within the timeout? */
  readonly retries: boolean;
  readonly workerSteps: WorkerSteps;
  /** Does the worker consult the dedupe store? */
  readonly usesStore: boolean;
  /** What the preset promises; the checker's verdict tests exactly these two properties. */
  readonly promise: {
    readonly noLoss: boolean;
    readonly noDuplicates: boolean;
    readonly text: string;
  };
  /** One line for --help and listings. */
  readonly summary: string;
}

export const PRESETS: Readonly<Record<SemanticsName, SemanticsPreset>> = {
  'at-most-once': {
    name: 'at-most-once',
    retries: false,
    workerSteps: 'execute',
    usesStore: false,
    promise: { noLoss: false, noDuplicates: true, text: 'never twice; may lose' },
    summary: 'send once, never retry; worker executes then acks',
  },
  'at-least-once': {
    name: 'at-least-once',
    retries: true,
    workerSteps: 'execute',
    usesStore: false,
    promise: { noLoss: true, noDuplicates: false, text: 'never lost; may repeat' },
    summary: 'retry until acked; worker executes then acks',
  },
  'exactly-once': {
    name: 'exactly-once',
    retries: true,
    workerSteps: 'check-execute-mark',
    usesStore: true,
    promise: { noLoss: true, noDuplicates: true, text: 'never lost, never twice (epoch dedupe)' },
    summary: 'retry until acked; worker skips epochs already marked, else executes then marks',
  },
  'exactly-once-atomic': {
    name: 'exactly-once-atomic',
    retries: true,
    workerSteps: 'atomic',
    usesStore: true,
    promise: { noLoss: true, noDuplicates: true, text: 'never lost, never twice' },
    summary: 'retry until acked; check, execute and mark in one transaction',
  },
  'at-most-once-execution': {
    name: 'at-most-once-execution',
    retries: true,
    workerSteps: 'mark-then-execute',
    usesStore: true,
    promise: {
      noLoss: false,
      noDuplicates: true,
      text: 'never twice; fewer losses than at-most-once',
    },
    summary: 'retry until acked; worker marks first (skips if marked), then executes',
  },
};

export function isSemanticsName(value: string): value is SemanticsName {
  return (SEMANTICS_NAMES as readonly string[]).includes(value);
}
