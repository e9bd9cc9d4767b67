import { forkBenchEntry, nextMessage, stop } from './children.js';
import type { RawLoadSettings } from './protocol.js';
import { median } from './stats.js';

/**
 * semlab's own work per message, in CPU µs, with no transport (./own-work-main.ts): the floor of
 * what semlab adds to a raw loop of the same shape, whatever the transport. A raw loop's whole
 * round per message, in wall µs, is 1e6 / its msg/s: to stay within 10% of it, semlab's own work
 * must fit in a tenth of that, or run entirely beside it on idle cores.
 */
export interface OwnWorkReport {
  /** The dispatcher, virtual network and clock, journalling, over a link that answers at once. */
  readonly dispatcherUs: number;
  /** One worker's loop, journalling, per message it handles. */
  readonly workerUs: number;
}

/** A healthy measurement takes a few seconds; this only catches one that hangs. */
const OWN_WORK_TIMEOUT_MS = 120_000;

export async function measureOwnWork(
  load: RawLoadSettings,
  repeat: number,
  log: (line: string) => void,
): Promise<OwnWorkReport> {
  const dispatcher: number[] = [];
  const worker: number[] = [];
  for (let i = 1; i <= repeat; i++) {
    dispatcher.push(await measureOne('dispatcher', load));
    worker.push(await measureOne('worker', load));
    log(
      `run ${i}/${repeat}: semlab's own work, no transport: dispatcher ` +
        `${dispatcher.at(-1)?.toFixed(2)} µs, worker ${worker.at(-1)?.toFixed(2)} µs per message`,
    );
  }
  return { dispatcherUs: median(dispatcher), workerUs: median(worker) };
}

async function measureOne(role: 'dispatcher' | 'worker', load: RawLoadSettings): Promise<number> {
  const child = forkBenchEntry('own-work-main.js', [
    role,
    String(load.messages),
    String(load.workers),
    String(load.window),
  ]);
  try {
    const done = await nextMessage(child, 'own-work', OWN_WORK_TIMEOUT_MS, `own work (${role})`);
    return done.cpuUsPerMessage;
  } finally {
    await stop(child);
  }
}
