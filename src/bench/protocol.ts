/**
 * Messages between the bench and the raw ZeroMQ processes it forks, over Node's IPC channel. They
 * only steer the measurement; the timing itself is taken inside the dealer process, so IPC latency
 * never counts against the raw rate.
 */

/** What the bench asks of the dealer once every replier process is up. */
export interface RawLoadSettings {
  readonly workers: number;
  readonly messages: number;
  readonly window: number;
}

export type BenchToDealer = { readonly type: 'go' } & RawLoadSettings;

export type ChildToBench =
  | { readonly type: 'bound'; readonly address: string }
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly durationMs: number; readonly maxRssKb: number }
  | { readonly type: 'failed'; readonly message: string };

/** Sends to the bench and resolves once the message has left this process. */
export function tellBench(message: ChildToBench): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/**
 * Wiring every forked bench process does first: if the bench dies (even by kill -9) the IPC
 * channel closes, and the child follows it instead of lingering as an orphan.
 */
export function followBench(): void {
  process.on('disconnect', () => process.exit(0));
}

/** Reports a fatal error to the bench (which rejects the measurement) and exits. */
export async function failToBench(role: string, error: unknown): Promise<never> {
  const message = error instanceof Error ? error.message : String(error);
  await tellBench({ type: 'failed', message: `${role}: ${message}` });
  process.exit(1);
}
