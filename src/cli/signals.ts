/**
 * The top process's signal handling, installed by bin/semlab before the rest of the CLI loads (so
 * this module imports nothing): Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal) never end
 * semlab with the default action, which would leave its child processes, Redis keys and Kafka
 * topics behind and print nothing.
 *
 * - While a run is under way (an interrupt scope is open), a signal is handed to that run, which
 *   stops its children, cleans up and then ends with its one line and exit code.
 * - Outside a run there is nothing to clean up: the CLI's handler prints the line and exits. Until
 *   the CLI has loaded and given its handler, the signal is kept and handled the moment it does.
 * - Only the first signal counts: one that arrives while the first is being handled (a second
 *   Ctrl-C during the cleanup) is ignored, so the cleanup is never cut short or run twice.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

interface Scope {
  readonly onSignal: (signal: StopSignal) => void;
  received: StopSignal | undefined;
}

let installed = false;
let scope: Scope | undefined;
let outsideRun: ((signal: StopSignal) => void) | undefined;
/** A signal that came before the CLI gave its handler, or while that handler is at work. */
let pending: StopSignal | undefined;

export function installSignalHandling(): void {
  if (installed) return;
  installed = true;
  for (const signal of STOP_SIGNALS) process.on(signal, () => handle(signal));
  // After SIGHUP the terminal is gone: writing the last line there fails (EIO), which must not
  // turn into a crash with a stack trace in the middle of the cleanup.
  process.stderr.on('error', () => undefined);
}

function handle(signal: StopSignal): void {
  if (scope) {
    if (scope.received) return;
    scope.received = signal;
    scope.onSignal(signal);
    return;
  }
  if (pending) return;
  pending = signal;
  outsideRun?.(signal);
}

/**
 * The CLI's handler for a signal outside any run (it prints the line and exits); a signal that
 * came before is handled now.
 */
export function onSignalOutsideRun(handler: (signal: StopSignal) => void): void {
  outsideRun = handler;
  if (pending) handler(pending);
}

export interface InterruptScope {
  /** The first signal received while the scope was open. */
  readonly signal: StopSignal | undefined;
  end(): void;
}

/** Hands signals to `onSignal` until `end()`: the span of one run, from its folder to its cleanup. */
export function interruptScope(onSignal: (signal: StopSignal) => void): InterruptScope {
  const opened: Scope = { onSignal, received: undefined };
  scope = opened;
  return {
    get signal() {
      return opened.received;
    },
    end() {
      if (scope === opened) scope = undefined;
    },
  };
}
