import { KAFKA_DEFAULTS, RUN_DEFAULTS } from '../core/defaults.js';
import type { KafkaSettings } from '../transports/contract.js';
import { defaultRedisUrl } from '../services/redis.js';
import { localized } from '../i18n/catalog.js';
import { UsageError } from '../shared/errors.js';
import { isSemanticsName, SEMANTICS_NAMES, type SemanticsName } from '../core/semantics.js';
import { CRASH_POINTS, type CrashPoint, type FaultSpec } from '../faults/spec.js';
import { STORE_NAMES } from '../stores/registry.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import { closestMatch } from '../util/suggest.js';

/** The run flags as commander hands them over: strings, unparsed; absent when not given. */
export interface RunFlags {
  transport?: string;
  workers?: string;
  messages?: string;
  seed?: string;
  timeout?: string;
  window?: string;
  store?: string;
  restartDelay?: string;
  dedupeTtl?: string;
  dropWork?: string;
  dropAck?: string;
  delayWork?: string;
  delayAck?: string;
  crash?: string[];
  redisUrl?: string;
  keep?: boolean;
  redisMode?: string;
  reclaimIdle?: string;
  kafkaBrokers?: string;
  kafkaMode?: string;
  partitions?: string;
  kafkaAcks?: string;
  kafkaSessionTimeout?: string;
  crashBroker?: string;
  /** commander's --no-live: false when given. */
  live?: boolean;
}

/** Kafka knobs a scenario (or an earlier run) may set; the rest is derived or defaulted. */
export type KafkaKnobs = Partial<Omit<KafkaSettings, 'commit'>>;

/** A run's settings after validation; the supervisor adds the run id and folder. */
export interface RunSettings {
  semantics: SemanticsName;
  transport: string;
  workers: number;
  messages: number;
  seed: number;
  timeoutMs: number;
  window: number;
  store: string;
  /** How long a dedupe mark lasts; absent: for the whole run. */
  dedupeTtlMs?: number;
  restartDelayMs: number;
  faults: FaultSpec[];
  /** Set when the transport or the store is Redis. */
  redisUrl?: string;
  keep?: boolean;
  /** Redis transport only. */
  redisMode?: 'lists' | 'streams';
  reclaimIdleMs?: number;
  /** Kafka transport only. */
  kafka?: KafkaSettings;
  /** --no-live: plain progress lines instead of the live view. */
  plainProgress?: boolean;
}

export function parseSemantics(name: string): SemanticsName {
  if (isSemanticsName(name)) return name;
  throw new UsageError(
    localized('unknownSemantics', {
      name,
      suggestion: closestMatch(name, SEMANTICS_NAMES),
      valid: SEMANTICS_NAMES,
    }),
  );
}

/** The flags on top of the defaults; the first bad flag throws a UsageError naming it. */
export function parseRunFlags(
  semantics: string,
  flags: RunFlags,
  randomSeed: () => number,
): RunSettings {
  const base = { ...RUN_DEFAULTS, semantics: parseSemantics(semantics), faults: [] };
  return applyRunFlags(base, flags, randomSeed);
}

/**
 * Explicit flags override `base` (the defaults, or a scenario's fields). Any fault flag replaces
 * the base's whole fault list, so what runs is exactly what the command line says.
 */
export function applyRunFlags(
  base: Omit<RunSettings, 'seed' | 'kafka'> & { seed?: number; kafka?: KafkaKnobs },
  flags: RunFlags,
  randomSeed: () => number,
): RunSettings {
  const transport = flags.transport ?? base.transport;
  if (!TRANSPORT_NAMES.includes(transport)) {
    throw new UsageError(
      localized('unknownTransport', { name: transport, available: TRANSPORT_NAMES }),
    );
  }
  const store = flags.store ?? base.store;
  if (!STORE_NAMES.includes(store)) {
    throw new UsageError(
      localized('notOneOf', {
        flag: '--store',
        found: store,
        allowed: STORE_NAMES,
        suggestion: closestMatch(store, STORE_NAMES),
      }),
    );
  }
  const faultFlags = parseFaultFlags(flags);
  const seed = flags.seed !== undefined ? integer('--seed', flags.seed, 0, 2 ** 31 - 1) : base.seed;
  const workers = optionalInteger('--workers', flags.workers, 1, 64) ?? base.workers;
  const dedupeTtlMs =
    flags.dedupeTtl !== undefined
      ? integer('--dedupe-ttl', flags.dedupeTtl, 1, 86_400_000)
      : base.dedupeTtlMs;
  return {
    semantics: base.semantics,
    transport,
    workers,
    messages: optionalInteger('--messages', flags.messages, 1, 50_000_000) ?? base.messages,
    seed: seed ?? randomSeed(),
    timeoutMs: optionalInteger('--timeout', flags.timeout, 1, 3_600_000) ?? base.timeoutMs,
    window: optionalInteger('--window', flags.window, 1, 100_000) ?? base.window,
    store,
    ...(dedupeTtlMs !== undefined ? { dedupeTtlMs } : {}),
    restartDelayMs:
      optionalInteger('--restart-delay', flags.restartDelay, 0, 600_000) ?? base.restartDelayMs,
    faults: faultFlags.length > 0 ? faultFlags : [...base.faults],
    ...(transport === 'redis' || store === 'redis'
      ? { redisUrl: redisUrl(flags.redisUrl ?? base.redisUrl ?? defaultRedisUrl()) }
      : {}),
    ...(flags.keep ? { keep: true } : {}),
    ...redisModeSettings(transport, flags, base),
    ...kafkaSettings(transport, base.semantics, workers, flags, base.kafka),
    ...(flags.live === false ? { plainProgress: true } : {}),
  };
}

const KAFKA_FLAGS = [
  ['kafkaBrokers', '--kafka-brokers'],
  ['kafkaMode', '--kafka-mode'],
  ['partitions', '--partitions'],
  ['kafkaAcks', '--kafka-acks'],
  ['kafkaSessionTimeout', '--kafka-session-timeout'],
  ['crashBroker', '--crash-broker'],
] as const;

function kafkaSettings(
  transport: string,
  semantics: SemanticsName,
  workers: number,
  flags: RunFlags,
  base: KafkaKnobs | undefined,
): { kafka?: KafkaSettings } {
  if (transport !== 'kafka') {
    const given = KAFKA_FLAGS.find(([key]) => flags[key] !== undefined);
    if (given) {
      throw new UsageError(localized('needsKafka', { flag: given[1], transport }));
    }
    return {};
  }
  const mode = flags.kafkaMode ?? base?.mode ?? KAFKA_DEFAULTS.mode;
  if (mode !== 'dispatcher' && mode !== 'native') {
    const modes = ['dispatcher', 'native'];
    throw new UsageError(
      localized('notOneOf', {
        flag: '--kafka-mode',
        found: mode,
        allowed: modes,
        suggestion: closestMatch(mode, modes),
      }),
    );
  }
  const acks = flags.kafkaAcks ?? base?.acks ?? KAFKA_DEFAULTS.acks;
  if (acks !== 'all' && acks !== '1' && acks !== '0') {
    throw new UsageError(
      localized('notOneOf', { flag: '--kafka-acks', found: acks, allowed: ['all', '1', '0'] }),
    );
  }
  const brokers = flags.kafkaBrokers ?? base?.brokers ?? defaultKafkaBrokers();
  if (!/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/.test(brokers)) {
    throw new UsageError(localized('kafkaBrokersFormat', { text: brokers }));
  }
  const crashBroker =
    flags.crashBroker !== undefined ? parseCrashBroker(flags.crashBroker) : base?.crashBroker;
  return {
    kafka: {
      brokers,
      mode,
      // When a worker commits its offsets is the lesson of native mode; in dispatcher mode it
      // commits on receipt, so Kafka never redelivers behind the dispatcher's back.
      commit:
        mode === 'dispatcher' || semantics === 'at-most-once'
          ? 'on-receipt'
          : semantics === 'exactly-once-atomic'
            ? 'transaction'
            : 'after-processing',
      partitions:
        optionalInteger('--partitions', flags.partitions, 1, 1000) ?? base?.partitions ?? workers,
      acks,
      sessionTimeoutMs:
        optionalInteger('--kafka-session-timeout', flags.kafkaSessionTimeout, 100, 300_000) ??
        base?.sessionTimeoutMs ??
        KAFKA_DEFAULTS.sessionTimeoutMs,
      ...(crashBroker ? { crashBroker } : {}),
    },
  };
}

function defaultKafkaBrokers(): string {
  return process.env.KAFKA_BROKERS?.trim() || KAFKA_DEFAULTS.brokers;
}

/** `--crash-broker leader@K[:MS]`: kill the work partition's leader after K acks; restart after MS. */
export function parseCrashBroker(text: string): { afterAcked: number; restartMs: number } {
  const match = /^leader@(\d+)(?::(\d+))?$/.exec(text.trim());
  if (!match) {
    throw new UsageError(localized('crashBrokerFormat', { text }));
  }
  return {
    afterAcked: integer('--crash-broker', match[1] ?? '', 1, 50_000_000),
    restartMs:
      match[2] !== undefined
        ? integer('--crash-broker', match[2], 0, 600_000)
        : KAFKA_DEFAULTS.brokerRestartMs,
  };
}

function parseFaultFlags(flags: RunFlags): FaultSpec[] {
  const faults: FaultSpec[] = [];
  if (flags.dropWork !== undefined) {
    faults.push({
      type: 'drop',
      direction: 'work',
      probability: probability('--drop-work', flags.dropWork),
    });
  }
  if (flags.dropAck !== undefined) {
    faults.push({
      type: 'drop',
      direction: 'ack',
      probability: probability('--drop-ack', flags.dropAck),
    });
  }
  if (flags.delayWork !== undefined) {
    faults.push({ type: 'delay', direction: 'work', ...delay('--delay-work', flags.delayWork) });
  }
  if (flags.delayAck !== undefined) {
    faults.push({ type: 'delay', direction: 'ack', ...delay('--delay-ack', flags.delayAck) });
  }
  for (const crash of flags.crash ?? []) faults.push(parseCrash(crash));
  return faults;
}

/** `--crash POINT@K`: the worker handling the first send of every K-th epoch dies at POINT. */
export function parseCrash(text: string): FaultSpec {
  const match = /^([a-z-]+)@(\d+)$/.exec(text.trim());
  const point = match?.[1];
  if (!match || !point) {
    throw new UsageError(localized('crashFormat', { text, points: CRASH_POINTS }));
  }
  if (!(CRASH_POINTS as readonly string[]).includes(point)) {
    throw new UsageError(
      localized('crashPoint', {
        point,
        suggestion: closestMatch(point, CRASH_POINTS),
        valid: CRASH_POINTS,
      }),
    );
  }
  return {
    type: 'crash',
    point: point as CrashPoint,
    every: integer('--crash', match[2] ?? '', 1, 1_000_000_000),
  };
}

function delay(flag: string, text: string): { ms: number; probability: number } {
  const parts = text.split('@');
  if (parts.length > 2) throw new UsageError(localized('delayFormat', { flag, text }));
  const [msText, pText] = parts;
  const ms = integer(flag, msText ?? '', 0, 3_600_000);
  return { ms, probability: pText === undefined ? 1 : probability(flag, pText) };
}

function probability(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(localized('probability', { flag, text }));
  }
  return value;
}

function redisModeSettings(
  transport: string,
  flags: RunFlags,
  base: { redisMode?: 'lists' | 'streams'; reclaimIdleMs?: number },
): { redisMode?: 'lists' | 'streams'; reclaimIdleMs?: number } {
  const mode = flags.redisMode ?? base.redisMode;
  if (mode === undefined && flags.reclaimIdle === undefined) return {};
  if (transport !== 'redis') {
    throw new UsageError(localized('needsRedisTransport', { transport }));
  }
  if (mode !== undefined && mode !== 'lists' && mode !== 'streams') {
    throw new UsageError(
      localized('notOneOf', { flag: '--redis-mode', found: mode, allowed: ['lists', 'streams'] }),
    );
  }
  const reclaimIdleMs =
    flags.reclaimIdle !== undefined
      ? integer('--reclaim-idle', flags.reclaimIdle, 1, 600_000)
      : base.reclaimIdleMs;
  return {
    ...(mode ? { redisMode: mode } : {}),
    ...(reclaimIdleMs !== undefined ? { reclaimIdleMs } : {}),
  };
}

function redisUrl(text: string): string {
  if (!/^rediss?:\/\/[^\s]+$/.test(text)) {
    throw new UsageError(localized('redisUrlFormat', { text }));
  }
  // The database index, if any, is a whole number: ioredis reads '/abc' as database 0 and '/1.5'
  // as 1, and the run would go on in a database nobody asked for.
  let path: string;
  try {
    path = new URL(text).pathname;
  } catch {
    throw new UsageError(localized('redisUrlFormat', { text }));
  }
  if (path !== '' && path !== '/' && !/^\/\d{1,9}$/.test(path)) {
    throw new UsageError(localized('redisUrlDatabase', { text, path }));
  }
  return text;
}

function optionalInteger(
  flag: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  return text === undefined ? undefined : integer(flag, text, min, max);
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(localized('wholeNumber', { flag, text, min, max }));
  }
  return value;
}
