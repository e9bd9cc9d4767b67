import type { LiveSwitch } from '../faults/spec.js';
import type { LocalizedText } from '../i18n/catalog.js';

/**
 * Messages between the supervisor and its child processes, over Node's IPC channel. They steer the
 * run (start, stop, progress); none of them is a source of counts, which come from the journals.
 */
export interface Progress {
  readonly sent: number;
  readonly acked: number;
  /** Epochs acked or given up. The run ends when this reaches the number of messages. */
  readonly settled: number;
  readonly inFlight: number;
  /** Messages the fault layer dropped or held back so far (the run's faults and live ones). */
  readonly faultsInjected?: number;
  /** The latest of them, newest last, in words: "ack of 513 dropped". */
  readonly recentFaults?: readonly string[];
}

export interface DispatchOutcome {
  readonly status: 'completed' | 'stalled';
  /** For a stalled run: what the dispatcher saw, in words a person can act on. */
  readonly diagnosis?: string;
  /** From `go` to the last epoch settled, in wall-clock milliseconds. */
  readonly durationMs: number;
  /** Which clock the run's timeouts, delays and restarts ran on. */
  readonly clock: 'real' | 'virtual';
  /** Virtual-clock runs: the same span in the run's own (virtual) milliseconds. */
  readonly virtualDurationMs?: number;
  /** Peak resident memory of the dispatcher process, in kilobytes. */
  readonly maxRssKb: number;
}

export type DispatcherToSupervisor =
  | { type: 'bound'; address: string }
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; outcome: DispatchOutcome }
  | { type: 'failed'; message: string }
  // Virtual clock: the dispatcher decides when a dead worker starts again (at its virtual instant)
  // and when a worker killed from the live view dies (at a quiet instant).
  | { type: 'restart-worker'; worker: string }
  | { type: 'kill-worker'; worker: string; incarnation: number }
  // Virtual clock, --pause: the frozen worker's time is up (`at`: the run's instant of the thaw).
  | { type: 'thaw-worker'; worker: string; incarnation: number; at: number }
  // Virtual clock, the live view's freeze key: stop (on) or continue this incarnation, now.
  | { type: 'freeze-worker'; worker: string; incarnation: number; on: boolean };

export type WorkerToSupervisor =
  | { type: 'ready' }
  // `protocol`: the failure is a student's worker program that broke the worker protocol.
  | { type: 'failed'; message: string; protocol?: LocalizedText }
  // --pause: this worker reached a scheduled pause; freeze it for `ms`, then send 'thawed'.
  | { type: 'pause'; ms: number };

export type SupervisorToChild =
  // `incarnations`: each worker's incarnation at go (one may have restarted while starting).
  | { type: 'go'; incarnations?: Record<string, number> }
  | { type: 'stop' }
  // To the dispatcher: a key in the live view turned a live switch on or off.
  | { type: 'live'; switch: LiveSwitch; on: boolean }
  // To the dispatcher on the virtual clock: worker processes came and went.
  | { type: 'worker-up'; worker: string; incarnation: number }
  | {
      type: 'worker-down';
      worker: string;
      incarnation: number;
      restartMs: number;
      crashedOn?: { epoch: number; attempt: number };
    }
  // To the dispatcher on the virtual clock: the live view's kill key (`worker`: which, or any).
  | { type: 'live-kill'; worker?: string }
  // To the dispatcher on the virtual clock, --pause: this incarnation is frozen from now for `ms`.
  | { type: 'worker-frozen'; worker: string; incarnation: number; ms: number }
  // To a worker, --pause: it was frozen and is thawed again (`at`: on the virtual clock, when).
  | { type: 'thawed'; at?: number }
  // To the dispatcher on the virtual clock: the live view's freeze key, for this worker.
  | { type: 'live-freeze'; worker: string }
  // To the dispatcher: the live view's cut key: cut this worker off, or reconnect it.
  | { type: 'live-cut'; worker: string };

/**
 * Wiring every child process does first: it belongs to the supervisor. Ctrl-C in a terminal signals
 * the whole process group, so children ignore SIGINT and let the supervisor stop them in order; if
 * the supervisor itself dies, the IPC channel closes and the child exits, so no orphan is left.
 */
export function attachToSupervisor(onStop: () => void): void {
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: SupervisorToChild) => {
    if (message.type === 'stop') onStop();
  });
}

/** The dispatcher's side of the live view's switches. */
export function onLiveSwitch(handle: (which: LiveSwitch, on: boolean) => void): void {
  process.on('message', (message: SupervisorToChild) => {
    if (message.type === 'live') handle(message.switch, message.on);
  });
}

/** Sends to the supervisor and resolves once the message left this process. */
export function tellSupervisor(
  message: DispatcherToSupervisor | WorkerToSupervisor,
): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

export function waitForMessage<T extends SupervisorToChild['type']>(
  type: T,
): Promise<Extract<SupervisorToChild, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: SupervisorToChild): void => {
      if (message.type !== type) return;
      process.off('message', listener);
      resolve(message as Extract<SupervisorToChild, { type: T }>);
    };
    process.on('message', listener);
  });
}

/** Every message of one type from the supervisor, for as long as the process lives. */
export function onSupervisorMessage<T extends SupervisorToChild['type']>(
  type: T,
  handle: (message: Extract<SupervisorToChild, { type: T }>) => void,
): void {
  process.on('message', (message: SupervisorToChild) => {
    if (message.type === type) handle(message as Extract<SupervisorToChild, { type: T }>);
  });
}
