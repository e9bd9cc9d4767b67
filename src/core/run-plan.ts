import type { ClockKind } from '../clock/clock.js';
import type { SemanticsName } from './semantics.js';
import type { FaultSpec, LiveSwitch } from '../faults/spec.js';
import type { KafkaSettings } from '../transports/contract.js';

/**
 * Everything a run needs, fully resolved (no defaults left to apply). The CLI builds it; the
 * supervisor writes it to the run folder as plan.json, and every child process reads it from there,
 * so the dispatcher and all workers act on the very same plan.
 */
export interface RunPlan {
  readonly runId: string;
  readonly runDir: string;
  readonly semantics: SemanticsName;
  readonly transport: string;
  readonly workers: number;
  readonly messages: number;
  readonly seed: number;
  /** Ack timeout: how long the dispatcher waits for an ack before it retries (or gives up). */
  readonly timeoutMs: number;
  /** Most epochs in flight (sent, not yet acked or given up) at once. */
  readonly window: number;
  readonly store: string;
  /** How long a dedupe mark lasts; absent: the whole run. A lesson knob (see scenarios/ttl-*). */
  readonly dedupeTtlMs?: number;
  /** Default delay before a dead worker is restarted; a crash fault may set its own. */
  readonly restartDelayMs: number;
  readonly faults: readonly FaultSpec[];
  /** Redis server, for the redis transport and the redis store. */
  readonly redisUrl?: string;
  /** Leave the run's keys (or topics) in the service after the run, for inspection. */
  readonly keep?: boolean;
  /** Redis transport: 'lists' (default) or 'streams' (consumer group, XAUTOCLAIM). */
  readonly redisMode?: 'lists' | 'streams';
  /** Redis streams: idle time after which a dead consumer's pending entries are claimed. */
  readonly reclaimIdleMs?: number;
  /**
   * A person may inject faults during the run (the live view's keys): the dispatcher then always
   * runs the fault layer, ready for a switch.
   */
  readonly live?: boolean;
  /** Kafka transport: brokers, mode, commit policy, partitions, acks, broker crash. */
  readonly kafka?: KafkaSettings;
  /**
   * 'virtual': timeouts, delays, TTLs and restarts run on the dispatcher's discrete-event clock and
   * the dispatcher routes every message (src/clock/, src/core/virtual-network.ts). 'real': wall
   * time, and the transport routes. Absent in plans written before the clock existed: real.
   */
  readonly clock?: ClockKind;
  /**
   * `semlab run --replay RUN`: the live actions of a recorded virtual-clock run, each at the step
   * of the clock where it took effect, so the replay takes the very same path.
   */
  readonly replay?: readonly ReplayAction[];
  /**
   * `--worker-cmd`: a student's worker program (docs/worker-protocol.md), run by each worker
   * process in place of the preset's steps; the preset still sets the dispatcher and the promise.
   */
  readonly workerCmd?: string;
}

export type ReplayAction =
  | { readonly step: number; readonly switch: LiveSwitch; readonly on: boolean }
  | { readonly step: number; readonly kill: string }
  | { readonly step: number; readonly freeze: string }
  | { readonly step: number; readonly cut: string };

/** File names inside a run folder; the report and trace readers rely on them. */
export const RUN_FILES = {
  plan: 'plan.json',
  report: 'report.json',
  journalDir: 'journal',
  crashGateDir: 'crash-gate',
  dispatcherJournal: 'journal/dispatcher.jsonl',
  supervisorJournal: 'journal/supervisor.jsonl',
  /** The effects a store or transport recorded itself, copied at the end of the run. */
  effectsCopy: 'effects.jsonl',
  /** Present while the run is going: the pid of its semlab process (src/core/run-folder.ts). */
  inProgress: 'in-progress.json',
  /** `--worker-cmd` runs: each student process's stderr, `<worker>.<incarnation>.log`. */
  workerLogsDir: 'worker-logs',
} as const;

export function workerJournalFile(worker: string, incarnation: number): string {
  return `journal/${worker}.${incarnation}.jsonl`;
}
