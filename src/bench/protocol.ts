/**
 * Messages between the bench and the raw loop processes it forks (ZeroMQ dealer and repliers, Redis
 * and Kafka producers and consumers), over Node's IPC channel. They only steer the measurement; the timing
 * itself is taken inside the sending process (dealer or producer), so IPC latency never counts
 * against the raw rate.
 */

/** What the bench asks of the sending process once every worker process is up. */
export interface RawLoadSettings {
  readonly workers: number;
  readonly messages: number;
  readonly window: number;
}

export type GoMessage = { readonly type: 'go' } & RawLoadSettings;

export type ChildToBench =
  | { readonly type: 'bound'; readonly address: string }
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly durationMs: number;
      readonly maxRssKb: number;
      /** Raw Kafka only: distinct messages acked, and acks for a message already acked. */
      readonly acked?: number;
      readonly duplicateAcks?: number;
    }
  /** ./own-work-main.ts: its CPU µs per message, start-up left out. */
  | { readonly type: 'own-work'; readonly cpuUsPerMessage: number }
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

/** The bench's 'go', which it sends once every worker process has reported 'ready'. */
export function nextGo(): Promise<GoMessage> {
  return new Promise((resolve) => {
    const listener = (message: GoMessage): void => {
      if (message.type !== 'go') return;
      process.off('message', listener);
      resolve(message);
    };
    process.on('message', listener);
  });
}
