import type { ChildProcess } from 'node:child_process';
import { forkBenchEntry, nextMessage, stop } from './children.js';
import type { GoMessage, RawLoadSettings } from './protocol.js';

/** Forking, binding and connecting take well under a second; this only catches a broken setup. */
const STARTUP_TIMEOUT_MS = 15_000;

export interface RawResult {
  readonly throughput: number;
  readonly durationMs: number;
  readonly dealerMaxRssKb: number;
}

/**
 * One raw DEALER→REP measurement, laid out like a semlab run: the dealer and the repliers are
 * sibling processes forked by this one, started before the clock starts and stopped after it.
 */
export async function measureRawZmq(load: RawLoadSettings): Promise<RawResult> {
  const dealer = forkBenchEntry('raw-dealer-main.js', []);
  const repliers: ChildProcess[] = [];
  try {
    const { address } = await nextMessage(dealer, 'bound', STARTUP_TIMEOUT_MS, 'raw dealer');
    for (let i = 0; i < load.workers; i++) {
      repliers.push(forkBenchEntry('raw-reply-main.js', [address]));
    }
    await Promise.all(
      repliers.map((r, i) => nextMessage(r, 'ready', STARTUP_TIMEOUT_MS, `raw replier ${i + 1}`)),
    );
    // A timeout here most likely is the rare silent ZeroMQ stall of design.md §5: rerun the bench.
    const done = nextMessage(dealer, 'done', runTimeoutMs(load.messages), 'raw dealer');
    const go: GoMessage = { type: 'go', ...load };
    dealer.send(go);
    const { durationMs, maxRssKb } = await done;
    return {
      throughput: Math.round(load.messages / (durationMs / 1000)),
      durationMs: Math.round(durationMs),
      dealerMaxRssKb: maxRssKb,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`raw zmq measurement failed: ${reason}`);
  } finally {
    await Promise.all([dealer, ...repliers].map(stop));
  }
}

/** Generous: a healthy loop moves thousands of messages a second; a stalled one moves none. */
function runTimeoutMs(messages: number): number {
  return 30_000 + messages;
}
