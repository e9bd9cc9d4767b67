import type { BenchOptions } from './options.js';
import { measureRawZmq, type RawResult } from './raw-zmq.js';
import { runSemlab, type SemlabResult } from './semlab-run.js';
import { median } from './stats.js';

/** The preset under test: retries on, no dedupe store, so the difference is semlab's own cost. */
export const BENCH_SEMANTICS = 'at-least-once';

export interface ThroughputReport {
  readonly mode: 'throughput';
  readonly semantics: string;
  readonly workers: number;
  readonly messages: number;
  readonly window: number;
  readonly repeat: number;
  readonly raw: { readonly medianThroughput: number; readonly runs: readonly RawResult[] };
  readonly semlab: { readonly medianThroughput: number; readonly runs: readonly SemlabResult[] };
  /** semlab's median throughput over the raw median: 1 would mean semlab costs nothing. */
  readonly ratio: number;
}

/**
 * Raw and semlab runs alternate (raw, semlab, raw, semlab, ...) rather than running in two blocks,
 * so a slow spell of the machine hits both sides alike instead of skewing the ratio.
 */
export async function benchThroughput(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ThroughputReport> {
  const load = { workers: options.workers, messages: options.messages, window: options.window };
  const raw: RawResult[] = [];
  const semlab: SemlabResult[] = [];
  for (let i = 1; i <= options.repeat; i++) {
    const rawRun = await measureRawZmq(load);
    raw.push(rawRun);
    log(`run ${i}/${options.repeat}: raw zmq ${rawRun.throughput} msg/s`);
    const semlabRun = await runSemlab({ semantics: BENCH_SEMANTICS, ...load });
    semlab.push(semlabRun);
    log(`run ${i}/${options.repeat}: semlab ${semlabRun.throughput} msg/s`);
  }
  const rawMedian = median(raw.map((r) => r.throughput));
  const semlabMedian = median(semlab.map((r) => r.throughput));
  return {
    mode: 'throughput',
    semantics: BENCH_SEMANTICS,
    ...load,
    repeat: options.repeat,
    raw: { medianThroughput: rawMedian, runs: raw },
    semlab: { medianThroughput: semlabMedian, runs: semlab },
    ratio: Math.round((semlabMedian / rawMedian) * 1000) / 1000,
  };
}
