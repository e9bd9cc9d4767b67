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
  /** The --clock given to semlab; 'default' when none was (semlab then runs zmq on 'virtual'). */
  readonly clock: 'virtual' | 'real' | 'default';
  /** Issue 16's goal: the largest size's peak RSS over the 100k size's (see rssGrowth). */
  readonly growth: RssGrowth | undefined;
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
        ...(options.clock ? { clock: options.clock } : {}),
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
    clock: options.clock ?? 'default',
    growth: rssGrowth(sizes),
    sizes,
  };
}

/** The goal of issue 16: peak RSS at the largest run at most 10% above its value at 100k. */
export const RSS_GROWTH_GOAL = 1.1;
/** The reference size: by 100k messages V8's heap has reached its working size. */
const RSS_REFERENCE_MESSAGES = 100_000;

export interface RssGrowth {
  readonly fromMessages: number;
  readonly toMessages: number;
  /** Median peak RSS at toMessages over that at fromMessages. */
  readonly ratio: number;
  readonly goal: number;
}

/**
 * The ratio the goal is about: the largest size against the smallest size of at least 100k (the
 * smaller runs end while V8 is still growing its young generation, so they say nothing about
 * growth with the run's length). Undefined when there are not two such sizes.
 */
export function rssGrowth(
  sizes: readonly { readonly messages: number; readonly medianDispatcherMaxRssKb: number }[],
): RssGrowth | undefined {
  const eligible = sizes.filter((size) => size.messages >= RSS_REFERENCE_MESSAGES);
  if (eligible.length === 0) return undefined;
  const from = eligible.reduce((a, b) => (b.messages < a.messages ? b : a));
  const to = eligible.reduce((a, b) => (b.messages > a.messages ? b : a));
  if (to.messages === from.messages) return undefined;
  return {
    fromMessages: from.messages,
    toMessages: to.messages,
    ratio: to.medianDispatcherMaxRssKb / from.medianDispatcherMaxRssKb,
    goal: RSS_GROWTH_GOAL,
  };
}
