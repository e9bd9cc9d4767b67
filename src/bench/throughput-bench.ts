import { runKeyPrefix } from '../services/redis.js';
import { deleteBenchKeys, openBenchRedis, type BenchRedisChoice } from './bench-redis.js';
import type { BenchOptions, BenchTransport } from './options.js';
import type { RawLoadSettings } from './protocol.js';
import { measureRawRedis, type RawRedisResult } from './raw-redis.js';
import { measureRawZmq, type RawResult } from './raw-zmq.js';
import { runSemlab, type SemlabResult } from './semlab-run.js';
import { median } from './stats.js';

/** The preset under test: retries on, no dedupe store, so the difference is semlab's own cost. */
export const BENCH_SEMANTICS = 'at-least-once';

export interface MeasuredRow {
  readonly transport: BenchTransport;
  /** Redis row only: which server, and whether the bench started it. */
  readonly server?: string;
  readonly raw: {
    readonly medianThroughput: number;
    readonly runs: readonly (RawResult | RawRedisResult)[];
  };
  readonly semlab: { readonly medianThroughput: number; readonly runs: readonly SemlabResult[] };
  /** semlab's median throughput over the raw median: 1 would mean semlab costs nothing. */
  readonly ratio: number;
}

/** A row that could not be measured on this machine, and why (e.g. no redis-server). */
export interface SkippedRow {
  readonly transport: BenchTransport;
  readonly skipped: string;
}

export type ThroughputRow = MeasuredRow | SkippedRow;

export interface ThroughputReport {
  readonly mode: 'throughput';
  readonly semantics: string;
  readonly workers: number;
  readonly messages: number;
  readonly window: number;
  readonly repeat: number;
  /** One per --transports entry, in that order. */
  readonly rows: readonly ThroughputRow[];
}

export async function benchThroughput(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ThroughputReport> {
  const load = { workers: options.workers, messages: options.messages, window: options.window };
  // A --redis-url is checked before any row runs: a wrong one should not cost the zmq row first.
  const givenRedis =
    options.redisUrl !== undefined && options.transports.includes('redis')
      ? await openBenchRedis(options.redisUrl)
      : undefined;
  const rows: ThroughputRow[] = [];
  for (const transport of options.transports) {
    rows.push(
      transport === 'zmq'
        ? await zmqRow(load, options.repeat, log)
        : await redisRow(load, options.repeat, givenRedis, log),
    );
  }
  return {
    mode: 'throughput',
    semantics: BENCH_SEMANTICS,
    ...load,
    repeat: options.repeat,
    rows,
  };
}

function zmqRow(
  load: RawLoadSettings,
  repeat: number,
  log: (line: string) => void,
): Promise<MeasuredRow> {
  return alternate(
    'zmq',
    repeat,
    () => measureRawZmq(load),
    () => runSemlab({ semantics: BENCH_SEMANTICS, ...load }),
    log,
  );
}

/**
 * The Redis row runs against the given server, or else against a redis-server started for this row
 * alone (so it is not running while the zmq row is measured) and stopped after it, also when a
 * measurement fails or the bench is interrupted.
 */
async function redisRow(
  load: RawLoadSettings,
  repeat: number,
  givenRedis: BenchRedisChoice | undefined,
  log: (line: string) => void,
): Promise<ThroughputRow> {
  const choice = givenRedis ?? (await openBenchRedis(undefined));
  if (choice.kind === 'skipped') {
    log(`redis row skipped: ${choice.reason}`);
    return { transport: 'redis', skipped: choice.reason };
  }
  const { redis } = choice;
  log(`redis: ${redis.server}`);
  try {
    const row = await alternate(
      'redis',
      repeat,
      () => measureRawRedis(load, redis.url),
      async () => {
        const run = await runSemlab({
          semantics: BENCH_SEMANTICS,
          ...load,
          transport: 'redis',
          redisUrl: redis.url,
        });
        // semlab deletes its own keys (README, "Redis"); a leftover is a semlab bug worth a line,
        // and is removed so that a shared --redis-url server is left as it was found.
        const left = await deleteBenchKeys(redis.url, runKeyPrefix(run.runId));
        if (left > 0) {
          log(
            `warning: semlab run ${run.runId} left ${left} keys in Redis; the bench deleted them`,
          );
        }
        return run;
      },
      log,
    );
    return { ...row, server: redis.server };
  } finally {
    await redis.close();
  }
}

/**
 * Raw and semlab runs alternate (raw, semlab, raw, semlab, ...) rather than running in two blocks,
 * so a slow spell of the machine hits both sides alike instead of skewing the ratio.
 */
async function alternate(
  transport: BenchTransport,
  repeat: number,
  measureRaw: () => Promise<RawResult | RawRedisResult>,
  measureSemlab: () => Promise<SemlabResult>,
  log: (line: string) => void,
): Promise<MeasuredRow> {
  const raw: (RawResult | RawRedisResult)[] = [];
  const semlab: SemlabResult[] = [];
  for (let i = 1; i <= repeat; i++) {
    const rawRun = await measureRaw();
    raw.push(rawRun);
    log(`run ${i}/${repeat}: raw ${transport} ${rawRun.throughput} msg/s`);
    const semlabRun = await measureSemlab();
    semlab.push(semlabRun);
    const retries = semlabRun.retries > 0 ? ` (${semlabRun.retries} retries)` : '';
    log(`run ${i}/${repeat}: semlab over ${transport} ${semlabRun.throughput} msg/s${retries}`);
  }
  const rawMedian = median(raw.map((r) => r.throughput));
  const semlabMedian = median(semlab.map((r) => r.throughput));
  return {
    transport,
    raw: { medianThroughput: rawMedian, runs: raw },
    semlab: { medianThroughput: semlabMedian, runs: semlab },
    ratio: Math.round((semlabMedian / rawMedian) * 1000) / 1000,
  };
}
