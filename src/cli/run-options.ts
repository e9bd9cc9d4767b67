import { CLOCK_KINDS, type ClockKind } from '../clock/clock.js';
import { KAFKA_DEFAULTS, MAX_FAULTS, RUN_DEFAULTS } from '../core/defaults.js';
import type { ReplayAction, RunPlan } from '../core/run-plan.js';
import type { KafkaSettings } from '../transports/contract.js';
import { defaultRedisUrl } from '../services/redis.js';
import { localized } from '../i18n/catalog.js';
import { currentLanguage } from '../i18n/language.js';
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
  dupWork?: string;
  dupAck?: string;
  /** --partition wN[:work|ack]@T:MS (repeatable): cut worker N off at T for MS. */
  partition?: string[];
  /** --reorder P[:MS]: a fraction P of messages held back MS while later ones overtake them. */
  reorder?: string;
  /** --pause POINT@K:MS (repeatable): freeze the worker of every K-th epoch at POINT for MS. */
  pause?: string[];
  /** --work-ms MS[±J]: how long each delivery takes to handle. */
  workMs?: string;
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
  clock?: string;
  /** commander's --no-live: false when given. */
  live?: boolean;
  /** A student's worker program (docs/worker-protocol.md). */
  workerCmd?: string;
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
  /** Which clock the run's timeouts, delays and restarts run on (src/clock/). */
  clock: ClockKind;
  /** `--replay`: the recorded run's live actions, at their steps of the virtual clock. */
  replay?: readonly ReplayAction[];
  /** `--worker-cmd`: a student's worker program in place of the preset's steps. */
  workerCmd?: string;
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
  base: Omit<RunSettings, 'seed' | 'kafka' | 'clock'> & {
    seed?: number;
    kafka?: KafkaKnobs;
    clock?: ClockKind;
  },
  flags: RunFlags,
  randomSeed: () => number,
): RunSettings {
  const transport = flags.transport ?? base.transport;
  const store = flags.store ?? base.store;
  checkNames([transport], store);
  refuseInapplicableFlags(flags, [transport], store);
  const faultFlags = parseFaultFlags(flags);
  const seed = flags.seed !== undefined ? integer('--seed', flags.seed, 0, 2 ** 31 - 1) : base.seed;
  const workers = optionalInteger('--workers', flags.workers, 1, 64) ?? base.workers;
  const redisMode = redisModeSettings(transport, flags, base);
  const kafka = kafkaSettings(transport, base.semantics, workers, flags, base.kafka);
  const clock = clockFor(transport, redisMode.redisMode, flags.clock ?? base.clock, kafka.kafka);
  const faults = faultFlags.length > 0 ? faultFlags : [...base.faults];
  checkPartitions(faults, workers, clock);
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
    faults,
    ...(transport === 'redis' || store === 'redis'
      ? { redisUrl: redisUrl(flags.redisUrl ?? base.redisUrl ?? defaultRedisUrl()) }
      : {}),
    ...(flags.keep ? { keep: true } : {}),
    ...redisMode,
    ...kafka,
    ...(flags.live === false ? { plainProgress: true } : {}),
    clock,
    ...workerCmdSetting(flags.workerCmd ?? base.workerCmd),
  };
}

/**
 * The virtual clock needs a transport whose routing the dispatcher can decide (ZeroMQ, Redis
 * lists, Kafka in dispatcher mode). Where the broker's own timers decide redelivery (Redis
 * streams, Kafka native mode) the run is on the real clock; so is a run that kills a Kafka broker,
 * whose records in flight may be lost or late for reasons virtual time cannot tell apart. Virtual
 * is the default wherever it applies; asking for it elsewhere is an error that says why.
 */
export function clockFor(
  transport: string,
  redisMode: 'lists' | 'streams' | undefined,
  asked: string | undefined,
  kafka?: Pick<KafkaSettings, 'mode' | 'crashBroker'>,
): ClockKind {
  const brokerCrash = transport === 'kafka' && kafka?.crashBroker !== undefined;
  const virtualApplies =
    transport === 'zmq' ||
    (transport === 'redis' && redisMode !== 'streams') ||
    (transport === 'kafka' && kafka?.mode !== 'native' && !brokerCrash);
  if (asked === undefined) return virtualApplies ? 'virtual' : 'real';
  if (asked !== 'virtual' && asked !== 'real') {
    throw new UsageError(
      localized('notOneOf', {
        flag: '--clock',
        found: asked,
        allowed: CLOCK_KINDS,
        suggestion: closestMatch(asked, CLOCK_KINDS),
      }),
    );
  }
  if (asked === 'virtual' && brokerCrash) throw new UsageError(localized('clockBrokerCrash', {}));
  if (asked === 'virtual' && !virtualApplies) {
    throw new UsageError(
      localized('clockNeedsRouting', {
        transport:
          transport === 'redis'
            ? 'redis streams'
            : transport === 'kafka'
              ? 'kafka native mode'
              : transport,
      }),
    );
  }
  return asked;
}

/** Checks transport names and a store name; the first unknown one throws a UsageError. */
export function checkNames(transports: readonly string[], store: string): void {
  for (const transport of transports) {
    if (!TRANSPORT_NAMES.includes(transport)) {
      throw new UsageError(
        localized('unknownTransport', { name: transport, available: TRANSPORT_NAMES }),
      );
    }
  }
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
}

/**
 * Flags that mean something only with some transports or stores. Given where none of the chosen
 * ones uses it, a flag is refused rather than silently ignored: `--redis-url` on a zmq run with
 * the sqlite store would otherwise look like a Redis run to the person who typed it.
 */
const SERVICE_FLAGS: readonly {
  readonly key: keyof RunFlags;
  readonly flag: string;
  readonly applies: (transport: string, store: string) => boolean;
}[] = [
  {
    key: 'redisUrl',
    flag: '--redis-url',
    applies: (transport, store) => transport === 'redis' || store === 'redis',
  },
  { key: 'redisMode', flag: '--redis-mode', applies: (transport) => transport === 'redis' },
  { key: 'reclaimIdle', flag: '--reclaim-idle', applies: (transport) => transport === 'redis' },
  {
    key: 'keep',
    flag: '--keep',
    applies: (transport, store) => transport !== 'zmq' || store === 'redis',
  },
  ...(
    [
      ['kafkaBrokers', '--kafka-brokers'],
      ['kafkaMode', '--kafka-mode'],
      ['partitions', '--partitions'],
      ['kafkaAcks', '--kafka-acks'],
      ['kafkaSessionTimeout', '--kafka-session-timeout'],
      ['crashBroker', '--crash-broker'],
    ] as const
  ).map(([key, flag]) => ({ key, flag, applies: (transport: string) => transport === 'kafka' })),
];

/** Refuses a service flag that none of the transports (with the store) uses. */
export function refuseInapplicableFlags(
  flags: RunFlags,
  transports: readonly string[],
  store: string,
): void {
  for (const { key, flag, applies } of SERVICE_FLAGS) {
    if (flags[key] === undefined || transports.some((t) => applies(t, store))) continue;
    const transport = transports.join(', ');
    if (key === 'redisUrl')
      throw new UsageError(localized('needsRedis', { flag, transport, store }));
    if (key === 'keep') throw new UsageError(localized('keepNeedsService', { transport, store }));
    if (key === 'redisMode' || key === 'reclaimIdle') {
      throw new UsageError(localized('needsRedisTransport', { transport }));
    }
    throw new UsageError(localized('needsKafka', { flag, transport }));
  }
}

/**
 * The flags that apply to one run of several (compare over zmq and redis): `--redis-url` goes to
 * the redis run only. The set as a whole was checked by refuseInapplicableFlags.
 */
export function applicableFlags(flags: RunFlags, transport: string, store: string): RunFlags {
  const out: RunFlags = { ...flags };
  for (const { key, applies } of SERVICE_FLAGS) {
    if (!applies(transport, store)) delete out[key];
  }
  return out;
}

function kafkaSettings(
  transport: string,
  semantics: SemanticsName,
  workers: number,
  flags: RunFlags,
  base: KafkaKnobs | undefined,
): { kafka?: KafkaSettings } {
  // A Kafka flag on another transport was refused by refuseInapplicableFlags.
  if (transport !== 'kafka') return {};
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
  if (flags.workMs !== undefined) faults.push(parseWorkMs(flags.workMs));
  if (flags.dupWork !== undefined) {
    faults.push({
      type: 'duplicate',
      direction: 'work',
      probability: probability('--dup-work', flags.dupWork),
    });
  }
  if (flags.dupAck !== undefined) {
    faults.push({
      type: 'duplicate',
      direction: 'ack',
      probability: probability('--dup-ack', flags.dupAck),
    });
  }
  if (flags.reorder !== undefined) faults.push(parseReorder(flags.reorder));
  for (const pause of flags.pause ?? []) faults.push(parsePause(pause));
  for (const partition of flags.partition ?? []) faults.push(parsePartition(partition));
  const crashes = flags.crash ?? [];
  if (faults.length + crashes.length > MAX_FAULTS) {
    throw new UsageError(
      localized('flagListTooLong', {
        flag: '--crash',
        count: crashes.length,
        max: MAX_FAULTS - faults.length,
      }),
    );
  }
  for (const crash of crashes) faults.push(parseCrash(crash));
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

/** `--partition wN[:work|ack]@T:MS`: worker N cut off (both ways, or one) from T for MS. */
export function parsePartition(text: string): FaultSpec {
  const match = /^(w[1-9]\d*)(?::(work|ack))?@(\d+):(\d+)$/.exec(text.trim());
  if (!match || !match[1]) throw new UsageError(localized('partitionFormat', { text }));
  const direction = match[2] as 'work' | 'ack' | undefined;
  return {
    type: 'partition',
    worker: match[1],
    ...(direction ? { direction } : {}),
    atMs: integer('--partition', match[3] ?? '', 0, 86_400_000),
    ms: integer('--partition', match[4] ?? '', 1, 86_400_000),
  };
}

/**
 * A partition names a worker the run has, and cuts work only where the dispatcher routes it (the
 * virtual clock); from a scenario as from a flag.
 */
function checkPartitions(faults: readonly FaultSpec[], workers: number, clock: ClockKind): void {
  for (const fault of faults) {
    if (fault.type !== 'partition') continue;
    if (Number(fault.worker.slice(1)) > workers)
      throw new UsageError(localized('partitionWorker', { worker: fault.worker, workers }));
    if (clock !== 'virtual' && fault.direction !== 'ack')
      throw new UsageError(localized('partitionNeedsVirtual', { worker: fault.worker }));
  }
}

/** Held back this long when --reorder names no MS: a few hops, far short of any timeout. */
export const DEFAULT_REORDER_MS = 5;

/** `--reorder P[:MS]`: a fraction P of messages held back MS (default 5) while others pass. */
export function parseReorder(text: string): FaultSpec {
  const [pText, msText, ...rest] = text.split(':');
  if (pText === undefined || pText.trim() === '' || rest.length > 0)
    throw new UsageError(localized('reorderFormat', { text }));
  return {
    type: 'reorder',
    probability: probability('--reorder', pText),
    ms: msText === undefined ? DEFAULT_REORDER_MS : integer('--reorder', msText, 1, 3_600_000),
  };
}

/** `--pause POINT@K:MS`: the worker handling every K-th epoch is frozen at POINT for MS. */
export function parsePause(text: string): FaultSpec {
  const match = /^([a-z-]+)@(\d+):(\d+)$/.exec(text.trim());
  const point = match?.[1];
  if (!match || !point || !(CRASH_POINTS as readonly string[]).includes(point)) {
    throw new UsageError(localized('pauseFormat', { text, points: CRASH_POINTS }));
  }
  return {
    type: 'pause',
    point: point as CrashPoint,
    every: integer('--pause', match[2] ?? '', 1, 1_000_000_000),
    ms: integer('--pause', match[3] ?? '', 0, 600_000),
  };
}

/** `--work-ms MS[±J]` (or `MS+-J`, easier to type): each delivery takes MS, give or take J. */
export function parseWorkMs(text: string): FaultSpec {
  const match = /^\s*(\d+)(?:\s*(?:±|\+-|\+\/-)\s*(\d+))?\s*$/.exec(text);
  if (!match) throw new UsageError(localized('workMsFormat', { text }));
  const ms = integer('--work-ms', match[1] ?? '', 0, 600_000);
  const jitterMs = match[2] === undefined ? 0 : integer('--work-ms', match[2], 0, 600_000);
  return { type: 'work', ms, ...(jitterMs > 0 ? { jitterMs } : {}) };
}

function delay(flag: string, text: string): { ms: number; probability: number } {
  const parts = text.split('@');
  if (parts.length > 2) throw new UsageError(localized('delayFormat', { flag, text }));
  const [msText, pText] = parts;
  const ms = integer(flag, msText ?? '', 0, 3_600_000);
  return { ms, probability: pText === undefined ? 1 : probability(flag, pText) };
}

/**
 * A probability in plain decimal: 0.2, .2, 1, and, under pt-BR, 0,2 as Portuguese writes it (the
 * pt-BR tables print commas). Number() alone would also take 0x1, 1e-1 and Infinity.
 */
function probability(flag: string, text: string): number {
  const plain = /^\s*(\d+(?:[.,]\d*)?|[.,]\d+)\s*$/.exec(text)?.[1];
  // The comma only where the output prints commas: in English '0,2' could as well be a list.
  if (plain?.includes(',') && currentLanguage() === 'en') {
    throw new UsageError(
      localized('decimalComma', { flag, text, dotted: plain.replace(',', '.') }),
    );
  }
  const value = plain === undefined ? NaN : Number(plain.replace(',', '.'));
  if (!Number.isFinite(value) || value < 0 || value > 1) {
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

/**
 * `--replay`: the settings of a recorded run, exactly (its seed, faults and clock), with the live
 * actions taken during it. Only a virtual-clock run can be replayed: only its path is the same.
 */
export function replaySettings(plan: RunPlan, replay: readonly ReplayAction[]): RunSettings {
  if (plan.clock !== 'virtual')
    throw new UsageError(localized('replayNeedsVirtual', { runId: plan.runId }));
  return {
    semantics: plan.semantics,
    transport: plan.transport,
    workers: plan.workers,
    messages: plan.messages,
    seed: plan.seed,
    timeoutMs: plan.timeoutMs,
    window: plan.window,
    store: plan.store,
    ...(plan.dedupeTtlMs !== undefined ? { dedupeTtlMs: plan.dedupeTtlMs } : {}),
    restartDelayMs: plan.restartDelayMs,
    faults: [...plan.faults],
    ...(plan.redisUrl !== undefined ? { redisUrl: plan.redisUrl } : {}),
    ...(plan.redisMode !== undefined ? { redisMode: plan.redisMode } : {}),
    ...(plan.kafka !== undefined ? { kafka: plan.kafka } : {}),
    clock: 'virtual',
    ...(replay.length > 0 ? { replay } : {}),
  };
}

/** `--worker-cmd` (or a scenario's `workerCmd`): a command line, not empty. */
function workerCmdSetting(command: string | undefined): { workerCmd?: string } {
  if (command === undefined) return {};
  if (command.trim() === '') throw new UsageError(localized('workerCmdEmpty', {}));
  return { workerCmd: command };
}
