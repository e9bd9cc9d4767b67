import type { BenchOptions } from './options.js';
import { runSemlab, type SemlabResult } from './semlab-run.js';
import { median } from './stats.js';
import { BENCH_SEMANTICS } from './throughput-bench.js';

export interface MemoryReport {
  readonly mode: 'memory';
  readonly semantics: string;
  readonly workers: number;
  readonly window: number;
  readonly repeat: number;
  readonly sizes: readonly {
    readonly messages: number;
    readonly medianDispatcherMaxRssKb: number;
    readonly runs: readonly SemlabResult[];
  }[];
}

/**
 * The dispatcher claims memory that follows the window, not the run (src/core/dispatcher.ts): a
 * hundredfold longer run should leave its peak RSS where it was. Each size is one full semlab run.
 */
export async function benchMemory(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<MemoryReport> {
  const sizes: MemoryReport['sizes'][number][] = [];
  for (const messages of options.sizes) {
    const runs: SemlabResult[] = [];
    for (let i = 1; i <= options.repeat; i++) {
      const run = await runSemlab({
        semantics: BENCH_SEMANTICS,
        workers: options.workers,
        messages,
        window: options.window,
      });
      runs.push(run);
      log(
        `${messages} messages, run ${i}/${options.repeat}: dispatcher max RSS ` +
          `${run.dispatcherMaxRssKb} kB, ${run.throughput} msg/s`,
      );
    }
    sizes.push({
      messages,
      medianDispatcherMaxRssKb: median(runs.map((r) => r.dispatcherMaxRssKb)),
      runs,
    });
  }
  return {
    mode: 'memory',
    semantics: BENCH_SEMANTICS,
    workers: options.workers,
    window: options.window,
    repeat: options.repeat,
    sizes,
  };
}
