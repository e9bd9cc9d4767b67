import type { DispatchOutcome } from '../core/ipc.js';
import type { RunPlan } from '../core/run-plan.js';
import type { KafkaSettings } from '../transports/contract.js';
import { verdictFor, type Counts } from './checker.js';

/**
 * What `--json` prints: one object per run. Its field names are a public contract (scripts and
 * tests read them), so add fields freely but never rename or remove one.
 */
export interface RunReport extends Counts {
  readonly runId: string;
  readonly semantics: RunPlan['semantics'];
  readonly transport: string;
  readonly store: string;
  readonly workers: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly window: number;
  /** 'completed', or 'stalled' when the watchdog ended a run that stopped moving. */
  readonly status: DispatchOutcome['status'];
  readonly diagnosis?: string;
  /** Dispatch time: from the first send to the last epoch settled, in wall-clock ms. */
  readonly durationMs: number;
  /**
   * Which clock ran the run's timeouts, delays, TTLs and restarts: 'virtual' (the dispatcher's
   * discrete-event clock: the same seed gives the same report on any machine) or 'real'.
   */
  readonly clock: 'virtual' | 'real';
  /** Virtual-clock runs: the dispatch time in the run's own milliseconds (the same every run). */
  readonly virtualDurationMs?: number;
  /** Epochs settled (acked or given up) per second of dispatch time. */
  readonly throughput: number;
  readonly dispatcherMaxRssKb: number;
  /** The run's folder: journals, ledgers, store, plan and this report. */
  readonly runDir: string;
  /** Kafka runs only: where the guarantee came from, and when the workers committed. */
  readonly kafka?: Pick<KafkaSettings, 'mode' | 'commit' | 'acks' | 'partitions'>;
}

export function buildRunReport(plan: RunPlan, outcome: DispatchOutcome, counts: Counts): RunReport {
  const seconds = outcome.durationMs / 1000;
  const settled = counts.messages - counts.unsettled;
  // The dispatcher knows best whether it finished: a run it did not finish gets no verdict, even
  // when the journals happen to show every epoch settled.
  const verdict =
    outcome.status === 'completed' || counts.verdict.held === null
      ? counts.verdict
      : verdictFor(plan.semantics, counts.lost, counts.duplicateExecutions, {
          unsettled: counts.unsettled,
          unfinished: true,
        });
  return {
    runId: plan.runId,
    semantics: plan.semantics,
    transport: plan.transport,
    store: plan.store,
    workers: plan.workers,
    seed: plan.seed,
    timeoutMs: plan.timeoutMs,
    window: plan.window,
    ...counts,
    verdict,
    status: outcome.status,
    ...(outcome.diagnosis ? { diagnosis: outcome.diagnosis } : {}),
    durationMs: Math.round(outcome.durationMs),
    clock: outcome.clock ?? 'real',
    ...(outcome.virtualDurationMs !== undefined
      ? { virtualDurationMs: outcome.virtualDurationMs }
      : {}),
    throughput: seconds > 0 ? Math.round(settled / seconds) : 0,
    dispatcherMaxRssKb: outcome.maxRssKb,
    runDir: plan.runDir,
    ...(plan.kafka
      ? {
          kafka: {
            mode: plan.kafka.mode,
            commit: plan.kafka.commit,
            acks: plan.kafka.acks,
            partitions: plan.kafka.partitions,
          },
        }
      : {}),
  };
}
