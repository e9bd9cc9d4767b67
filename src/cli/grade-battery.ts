import type { RunFlags } from './run-options.js';

/**
 * `semlab grade`'s fixed battery: the faults a worker must survive to keep its claim, each a small
 * run on the virtual clock (over ZeroMQ unless `--transport` says Redis or Kafka), so the same
 * worker and seed give the same grade on any machine. Every case is named by an id (shown as is in every language, like a flag).
 *
 * Why these: one case per fault of design.md's table (work and ack drops, acks slower than the
 * timeout, a crash at each of the four points), one with a memory-only store (with a single
 * worker: a per-process store can then still dedupe, so a worker that never asks the store is
 * caught), and one that combines several faults in one run.
 */
export interface GradeCase {
  readonly id: string;
  /** The run's flags on top of the battery's base (transport, workers, messages, seed). */
  readonly flags: RunFlags;
}

/** Longer than the ack timeout (200 ms by default): the dispatcher retries before the ack lands. */
const SLOW_ACK = '400@0.3';

export const GRADE_BATTERY: readonly GradeCase[] = [
  { id: 'no-faults', flags: {} },
  { id: 'drop-work', flags: { dropWork: '0.2' } },
  { id: 'drop-ack', flags: { dropAck: '0.2' } },
  { id: 'slow-ack', flags: { delayAck: SLOW_ACK } },
  { id: 'crash-after-receive', flags: { crash: ['after-receive@5'] } },
  { id: 'crash-after-execute', flags: { crash: ['after-execute@5'] } },
  { id: 'crash-after-mark', flags: { crash: ['after-mark@5'] } },
  { id: 'crash-before-ack', flags: { crash: ['before-ack@5'] } },
  { id: 'memory-store', flags: { store: 'memory', workers: '1', dropAck: '0.2' } },
  {
    id: 'combined',
    flags: {
      dropWork: '0.1',
      dropAck: '0.1',
      delayAck: '400@0.1',
      crash: ['after-receive@7', 'before-ack@11'],
    },
  },
];

/** The transports a grade runs on: those whose routing the dispatcher decides (virtual clock). */
export const GRADE_TRANSPORTS = ['zmq', 'redis', 'kafka'] as const;

/** `semlab grade`'s flags that every case shares. */
export interface GradeBase {
  readonly workerCmd: string;
  readonly seed: string;
  readonly messages: string;
  readonly transport?: string;
  /** The dedupe store of every case but memory-store (whose point is its memory-only store). */
  readonly store?: string;
  readonly redisUrl?: string;
  readonly kafkaBrokers?: string;
  readonly kafkaSessionTimeout?: string;
}

/**
 * What every case shares. Redis runs on lists and Kafka in dispatcher mode: there the dispatcher
 * decides every retry, so the virtual clock applies and a grade is reproducible.
 */
export function baseFlags(base: GradeBase): RunFlags {
  const transport = base.transport ?? 'zmq';
  return {
    transport,
    clock: 'virtual',
    workers: '2',
    messages: base.messages,
    seed: base.seed,
    workerCmd: base.workerCmd,
    ...(base.store !== undefined ? { store: base.store } : {}),
    ...(base.redisUrl !== undefined ? { redisUrl: base.redisUrl } : {}),
    ...(transport === 'redis' ? { redisMode: 'lists' } : {}),
    ...(transport === 'kafka' ? { kafkaMode: 'dispatcher' } : {}),
    ...(base.kafkaBrokers !== undefined ? { kafkaBrokers: base.kafkaBrokers } : {}),
    ...(base.kafkaSessionTimeout !== undefined
      ? { kafkaSessionTimeout: base.kafkaSessionTimeout }
      : {}),
  };
}
