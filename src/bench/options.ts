import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [options]

Compares semlab's at-least-once dispatcher with a raw loop of the same shape on each transport
(ZeroMQ DEALER→REP; Redis LPUSH/BLMPOP lists; a kafkajs produce→consume→ack loop), or (--memory)
shows the dispatcher's peak memory at growing run sizes (over zmq). Each row also gives the CPU
µs per message of the dispatching process and of the workers, and the default run
(semlab run at-least-once) is timed, wall and CPU, against node -e 0. The zmq row also times
semlab with its journals discarded (a bench-only preload; semlab refuses to report such a run):
the gap is what durability costs. The redis row also times the raw loop writing semlab's
journal lines and nothing else of semlab: the most semlab can reach there with durable counts.
With the zmq row, the same semlab run is also measured on the virtual clock (the default) and on
the real clock, alternated: what reproducible runs cost. Last, semlab's own work is timed with no
transport at all (the dispatcher with its virtual network and clock, and one worker, each in a
process of its own, journalling to a file): CPU µs per message, beside each raw loop's wall µs
per message, the floor of what semlab adds to any raw loop.

  --transports T,...  rows to measure: zmq, redis, kafka (default zmq,redis,kafka)
  --redis-url URL     Redis for the redis row (default: a redis-server the bench starts on a free
                      loopback port and stops afterwards; without redis-server the row is skipped)
  --kafka-brokers L   Kafka for the kafka row, host:port,... (default $KAFKA_BROKERS, else a
                      1-broker cluster the bench starts and stops; without Java the row is skipped)
  --repeat N          measurements per figure; the median is reported (default 3; 1 with --memory)
  --workers N         worker processes (default 4)
  --messages M        messages per throughput measurement (default 50000)
  --window W          messages in flight at once, as semlab's --window (default 100); the
                      defaults are the shape the speed goals were set with
  --clock C           semlab's clock for the semlab side: virtual or real (default: semlab's own
                      default, virtual on all three)
  --memory            measure dispatcherMaxRssKb at each of --sizes instead of throughput (on
                      --clock; the goal: peak RSS at the largest size <= 1.10 x at 100,000)
  --sizes A,B,...     run sizes for --memory (default 10000,100000,1000000)
  --json              print one JSON object instead of the table
  -h, --help          this text`;

export const BENCH_TRANSPORTS = ['zmq', 'redis', 'kafka'] as const;
export type BenchTransport = (typeof BENCH_TRANSPORTS)[number];

export interface BenchOptions {
  readonly mode: 'throughput' | 'memory';
  readonly json: boolean;
  readonly repeat: number;
  readonly workers: number;
  readonly messages: number;
  readonly window: number;
  readonly sizes: readonly number[];
  /** Throughput rows, in the order given, each once. */
  readonly transports: readonly BenchTransport[];
  /** Undefined: the bench starts a redis-server of its own for the redis row. */
  readonly redisUrl: string | undefined;
  /** Undefined: the bench starts a Kafka broker of its own for the kafka row. */
  readonly kafkaBrokers: string | undefined;
  /** semlab's --clock for the semlab side of each row; undefined: semlab's default. */
  readonly clock: 'virtual' | 'real' | undefined;
  readonly help: boolean;
}

/** A command-line mistake: main prints it with the usage and exits with 2. */
export class BenchUsageError extends Error {}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        repeat: { type: 'string' },
        workers: { type: 'string', default: '4' },
        // The shape the speed goals were set with: 4 workers, 50,000 messages, window 100.
        messages: { type: 'string', default: '50000' },
        window: { type: 'string', default: '100' },
        memory: { type: 'boolean', default: false },
        clock: { type: 'string' },
        sizes: { type: 'string', default: '10000,100000,1000000' },
        transports: { type: 'string' },
        'redis-url': { type: 'string' },
        'kafka-brokers': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  const mode = values.memory ? 'memory' : 'throughput';
  // The memory bench follows the zmq dispatcher only; accepting these flags there would suggest
  // a Redis measurement that never happens.
  if (
    mode === 'memory' &&
    (values.transports !== undefined ||
      values['redis-url'] !== undefined ||
      values['kafka-brokers'] !== undefined)
  ) {
    throw new BenchUsageError(
      '--transports, --redis-url and --kafka-brokers choose throughput rows, not --memory',
    );
  }
  // A 1,000,000-message run takes minutes, so --memory measures each size once unless asked.
  const defaultRepeat = mode === 'memory' ? '1' : '3';
  return {
    mode,
    json: values.json,
    help: values.help,
    repeat: integer('--repeat', values.repeat ?? defaultRepeat, 1, 101),
    workers: integer('--workers', values.workers, 1, 64),
    messages: integer('--messages', values.messages, 1, 50_000_000),
    window: integer('--window', values.window, 1, 100_000),
    sizes: values.sizes.split(',').map((size) => integer('--sizes', size, 1, 50_000_000)),
    transports: transportList(values.transports ?? BENCH_TRANSPORTS.join(',')),
    redisUrl: redisUrl(values['redis-url']),
    clock: clockKind(values.clock),
    // $KAFKA_BROKERS is what semlab itself and `scripts/services up kafka` use; the memory bench
    // never reads it, so it is not an error there.
    kafkaBrokers:
      mode === 'memory'
        ? undefined
        : kafkaBrokers(values['kafka-brokers'] ?? (process.env.KAFKA_BROKERS?.trim() || undefined)),
  };
}

function clockKind(text: string | undefined): 'virtual' | 'real' | undefined {
  if (text === undefined || text === 'virtual' || text === 'real') return text;
  throw new BenchUsageError(`--clock: '${text}' is not one of virtual, real`);
}

/** Limits mirror semlab's own flags, so every value the bench accepts is one semlab accepts. */
function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new BenchUsageError(`${flag}: '${text}' is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function transportList(text: string): BenchTransport[] {
  const chosen: BenchTransport[] = [];
  for (const name of text.split(',').map((part) => part.trim())) {
    const transport = BENCH_TRANSPORTS.find((known) => known === name);
    if (!transport) {
      throw new BenchUsageError(
        `--transports: '${name}' is not one of ${BENCH_TRANSPORTS.join(', ')}`,
      );
    }
    if (!chosen.includes(transport)) chosen.push(transport);
  }
  return chosen;
}

/** Checked here so that a typo fails at once, not after the zmq row has run for a minute. */
function redisUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    throw new BenchUsageError(`--redis-url: '${text}' is not a URL (redis://host:port)`);
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new BenchUsageError(`--redis-url: '${text}' is not a redis:// or rediss:// URL`);
  }
  return text;
}

/** Checked here, like --redis-url, so a typo fails before the other rows have run. */
function kafkaBrokers(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^[^\s:,]+:\d{1,5}$/.test(part))) {
    throw new BenchUsageError(
      `--kafka-brokers (or KAFKA_BROKERS): '${text}' is not a list of host:port`,
    );
  }
  return parts.join(',');
}
