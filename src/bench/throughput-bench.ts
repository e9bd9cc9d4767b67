import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKeyPrefix } from '../services/redis.js';
import { deleteSemlabRunLeftovers, openBenchKafka, type BenchKafkaChoice } from './bench-kafka.js';
import { deleteBenchKeys, openBenchRedis, type BenchRedisChoice } from './bench-redis.js';
import type { BenchOptions, BenchTransport } from './options.js';
import type { RawLoadSettings } from './protocol.js';
import { measureRawKafka, type RawKafkaResult } from './raw-kafka.js';
import { measureRawRedis, type RawRedisResult } from './raw-redis.js';
import { measureRawZmq, type RawResult } from './raw-zmq.js';
import { runSemlab, type SemlabResult } from './semlab-run.js';
import { median } from './stats.js';
import { withCpuLog } from './children.js';
import type { CpuSplit } from './cpu-log.js';
import { measureDefaultRun, type DefaultRunReport } from './startup-bench.js';
import { measureClockCost, type ClockCostReport } from './clock-bench.js';
import { measureOwnWork, type OwnWorkReport } from './own-work.js';

/** A row's load: the raw loop's settings, plus the clock the semlab side runs on. */
type RowLoad = RawLoadSettings & { readonly clock?: 'virtual' | 'real' };

/** The preset under test: retries on, no dedupe store, so the difference is semlab's own cost. */
export const BENCH_SEMANTICS = 'at-least-once';

export interface MeasuredRow {
  readonly transport: BenchTransport;
  /** Redis and Kafka rows: which server, and whether the bench started it. */
  readonly server?: string;
  /** Kafka row, on a broker the bench started: how long it took to answer clients. */
  readonly brokerStartMs?: number;
  readonly raw: {
    readonly medianThroughput: number;
    readonly runs: readonly AnyRawResult[];
  };
  readonly semlab: { readonly medianThroughput: number; readonly runs: readonly SemlabResult[] };
  /** semlab's median throughput over the raw median: 1 would mean semlab costs nothing. */
  readonly ratio: number;
  /** Each repeat's semlab throughput over the raw throughput measured just before it. */
  readonly ratios: readonly number[];
  /** CPU µs per message (medians), of the dispatching process and of all workers together. */
  readonly cpu: { readonly raw: CpuPerMessage; readonly semlab: CpuPerMessage };
  /**
   * zmq row: the same semlab run with its journals discarded (a bench-only build, refused by
   * semlab as a run): the gap to the normal semlab figure is what durability costs.
   */
  readonly discarded?: ExtraFigure;
  /**
   * Redis row: the raw loop writing semlab's journal lines and nothing else of semlab
   * (./raw-journal.ts): the ceiling of what semlab can reach on the transport with durable counts.
   */
  readonly rawJournalled?: ExtraFigure;
}

/** A third measurement of a row, taken after semlab's in each repeat. */
export interface ExtraFigure {
  readonly medianThroughput: number;
  readonly runs: readonly { readonly throughput: number }[];
  /** Over the raw median, and each repeat over the raw run measured just before it. */
  readonly ratio: number;
  readonly ratios: readonly number[];
  readonly cpu: CpuPerMessage;
}

/** How a row takes its third measurement (see `alternate`). */
interface ExtraMeasurement {
  readonly field: 'discarded' | 'rawJournalled';
  /** What the progress line calls it. */
  readonly label: string;
  readonly measure: () => Promise<{ readonly throughput: number }>;
}

/** CPU time per message, start-up included (see ./cpu-log.ts); NaN where no process recorded. */
export interface CpuPerMessage {
  readonly dispatcherUs: number;
  readonly workersUs: number;
}

type AnyRawResult = RawResult | RawRedisResult | RawKafkaResult;

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
  /** `semlab run at-least-once` as a user types it, against `node -e 0`. */
  readonly defaultRun: DefaultRunReport;
  /** With the zmq row: the same semlab run on the virtual and on the real clock. */
  readonly clockCost?: ClockCostReport;
  /** semlab's own CPU per message with no transport: the floor of what it adds to any raw loop. */
  readonly ownWork: OwnWorkReport;
}

export async function benchThroughput(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ThroughputReport> {
  const load = {
    workers: options.workers,
    messages: options.messages,
    window: options.window,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  // A --redis-url is checked before any row runs: a wrong one should not cost the zmq row first.
  const givenRedis =
    options.redisUrl !== undefined && options.transports.includes('redis')
      ? await openBenchRedis(options.redisUrl)
      : undefined;
  // Likewise a given Kafka cluster is checked before any row runs.
  const givenKafka =
    options.kafkaBrokers !== undefined && options.transports.includes('kafka')
      ? await openBenchKafka(options.kafkaBrokers)
      : undefined;
  // First, while no server the bench started is running yet.
  const defaultRun = await measureDefaultRun(options.repeat, log);
  const rows: ThroughputRow[] = [];
  for (const transport of options.transports) {
    rows.push(
      transport === 'zmq'
        ? await zmqRow(load, options.repeat, log)
        : transport === 'redis'
          ? await redisRow(load, options.repeat, givenRedis, log)
          : await kafkaRow(load, options.repeat, givenKafka, log),
    );
  }
  const clockCost = options.transports.includes('zmq')
    ? await measureClockCost(
        {
          semantics: BENCH_SEMANTICS,
          workers: load.workers,
          messages: load.messages,
          window: load.window,
        },
        options.repeat,
        log,
      )
    : undefined;
  const ownWork = await measureOwnWork(load, options.repeat, log);
  return {
    mode: 'throughput',
    semantics: BENCH_SEMANTICS,
    ...load,
    repeat: options.repeat,
    rows,
    defaultRun,
    ...(clockCost ? { clockCost } : {}),
    ownWork,
  };
}

function zmqRow(load: RowLoad, repeat: number, log: (line: string) => void): Promise<MeasuredRow> {
  return alternate(
    'zmq',
    repeat,
    load.messages,
    () => measureRawZmq(load),
    () => runSemlab({ semantics: BENCH_SEMANTICS, ...load }),
    log,
    {
      field: 'discarded',
      label: 'semlab over zmq, journals discarded (bench-only)',
      measure: () => runSemlab({ semantics: BENCH_SEMANTICS, ...load, discardJournals: true }),
    },
  );
}

/**
 * The Redis row runs against the given server, or else against a redis-server started for this row
 * alone (so it is not running while the zmq row is measured) and stopped after it, also when a
 * measurement fails or the bench is interrupted.
 */
async function redisRow(
  load: RowLoad,
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
      load.messages,
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
      {
        field: 'rawJournalled',
        label: "raw redis with semlab's journal lines",
        measure: () => measureRawRedisJournalled(load, redis.url),
      },
    );
    return { ...row, server: redis.server };
  } finally {
    await redis.close();
  }
}

/** The raw loop with semlab's journal lines, in a folder of its own removed afterwards. */
async function measureRawRedisJournalled(load: RowLoad, url: string): Promise<RawRedisResult> {
  const dir = mkdtempSync(join(tmpdir(), 'semlab-bench-journal-'));
  try {
    return await measureRawRedis(load, url, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Kafka row runs against the given cluster, or else against a one-broker cluster started for
 * this row alone (so its JVM is not running while the other rows are measured) and stopped after
 * it, also when a measurement fails or the bench is interrupted. semlab runs in dispatcher mode
 * (its default), the Kafka counterpart of the other rows: the dispatcher's retries give the
 * guarantee, and each worker commits a fetched batch on receipt.
 */
async function kafkaRow(
  load: RowLoad,
  repeat: number,
  givenKafka: BenchKafkaChoice | undefined,
  log: (line: string) => void,
): Promise<ThroughputRow> {
  if (!givenKafka) log('kafka: starting a 1-broker cluster for this row');
  const choice = givenKafka ?? (await openBenchKafka(undefined));
  if (choice.kind === 'skipped') {
    log(`kafka row skipped: ${choice.reason}`);
    return { transport: 'kafka', skipped: choice.reason };
  }
  const { kafka } = choice;
  log(`kafka: ${kafka.server}`);
  try {
    const row = await alternate(
      'kafka',
      repeat,
      load.messages,
      () => measureRawKafka(load, kafka.brokers),
      async () => {
        const run = await runSemlab({
          semantics: BENCH_SEMANTICS,
          ...load,
          transport: 'kafka',
          kafkaBrokers: kafka.brokers,
        });
        // semlab deletes its own topics and groups; a leftover is a semlab bug worth a line, and is
        // removed so that a given cluster is left as it was found.
        const left = await deleteSemlabRunLeftovers(kafka.brokers, run.runId);
        if (left.length > 0) {
          log(
            `warning: semlab run ${run.runId} left ${left.join(', ')} in Kafka; the bench deleted them`,
          );
        }
        return run;
      },
      log,
    );
    return {
      ...row,
      server: kafka.server,
      ...(kafka.brokerStartMs !== undefined ? { brokerStartMs: kafka.brokerStartMs } : {}),
    };
  } finally {
    await kafka.close();
  }
}

/**
 * Raw and semlab runs alternate (raw, semlab, raw, semlab, ...) rather than running in two blocks,
 * so a slow spell of the machine hits both sides alike instead of skewing the ratio.
 */
async function alternate(
  transport: BenchTransport,
  repeat: number,
  messages: number,
  measureRaw: () => Promise<AnyRawResult>,
  measureSemlab: () => Promise<SemlabResult>,
  log: (line: string) => void,
  /** A third measurement, taken after semlab's in each repeat. */
  extra?: ExtraMeasurement,
): Promise<MeasuredRow> {
  const raw: AnyRawResult[] = [];
  const semlab: SemlabResult[] = [];
  const extraRuns: { readonly throughput: number }[] = [];
  const rawCpu: CpuSplit[] = [];
  const semlabCpu: CpuSplit[] = [];
  const extraCpu: CpuSplit[] = [];
  for (let i = 1; i <= repeat; i++) {
    const [rawRun, rawSplit] = await withCpuLog(measureRaw);
    raw.push(rawRun);
    rawCpu.push(rawSplit);
    log(`run ${i}/${repeat}: raw ${transport} ${rawRun.throughput} msg/s`);
    const [semlabRun, semlabSplit] = await withCpuLog(measureSemlab);
    semlab.push(semlabRun);
    semlabCpu.push(semlabSplit);
    const retries = semlabRun.retries > 0 ? ` (${semlabRun.retries} retries)` : '';
    log(
      `run ${i}/${repeat}: semlab over ${transport} ${semlabRun.throughput} msg/s${retries}, ` +
        `ratio ${ratioOf(semlabRun.throughput, rawRun.throughput).toFixed(2)}`,
    );
    if (!extra) continue;
    const [extraRun, extraSplit] = await withCpuLog(extra.measure);
    extraRuns.push(extraRun);
    extraCpu.push(extraSplit);
    log(
      `run ${i}/${repeat}: ${extra.label} ${extraRun.throughput} msg/s, ` +
        `ratio ${ratioOf(extraRun.throughput, rawRun.throughput).toFixed(2)}`,
    );
  }
  const rawMedian = median(raw.map((r) => r.throughput));
  const semlabMedian = median(semlab.map((r) => r.throughput));
  return {
    transport,
    raw: { medianThroughput: rawMedian, runs: raw },
    semlab: { medianThroughput: semlabMedian, runs: semlab },
    ratio: ratioOf(semlabMedian, rawMedian),
    ratios: semlab.map((run, i) => ratioOf(run.throughput, raw[i]?.throughput ?? NaN)),
    cpu: { raw: perMessage(rawCpu, messages), semlab: perMessage(semlabCpu, messages) },
    ...(extra && extraRuns.length > 0
      ? {
          [extra.field]: {
            medianThroughput: median(extraRuns.map((r) => r.throughput)),
            runs: extraRuns,
            ratio: ratioOf(median(extraRuns.map((r) => r.throughput)), rawMedian),
            ratios: extraRuns.map((run, i) => ratioOf(run.throughput, raw[i]?.throughput ?? NaN)),
            cpu: perMessage(extraCpu, messages),
          },
        }
      : {}),
  };
}

function perMessage(splits: readonly CpuSplit[], messages: number): CpuPerMessage {
  const recorded = splits.filter((split) => split.processes > 0);
  if (recorded.length === 0) return { dispatcherUs: NaN, workersUs: NaN };
  const round = (us: number): number => Math.round(us * 10) / 10;
  return {
    dispatcherUs: round(median(recorded.map((split) => split.dispatcherUs / messages))),
    workersUs: round(median(recorded.map((split) => split.workersUs / messages))),
  };
}

function ratioOf(semlab: number, raw: number): number {
  return Math.round((semlab / raw) * 1000) / 1000;
}
