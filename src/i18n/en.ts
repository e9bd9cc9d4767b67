/**
 * The English messages: the source of truth and the default. Every other language's catalog has
 * this object's type (./catalog.ts), so a key missing from a translation is a compile error.
 *
 * Texts that tests and scripts already match (error messages, the verdict reason) are spelled
 * exactly as they were before the catalog existed: English output did not change.
 */
import { htmlEn } from './html-en.js';
import { replicasEn } from './replicas-en.js';

import { traceWordsEn, type TraceWords } from './trace-words.js';

/** A live action (src/faults/live.ts) and the numbers its words quote. */
export interface LiveFaultWords {
  readonly action:
    | 'drop-work'
    | 'drop-ack'
    | 'slow-ack'
    | 'pause'
    | 'crash-worker'
    | 'freeze-worker'
    | 'cut-worker';
  /** "30%" */
  readonly dropPercent: string;
  readonly slowAckTimeouts: number;
}

/** What is wrong with one file of a run folder (src/report/run-history.ts). */
export type DamageKind = 'missing' | 'torn' | 'not-a-folder' | 'unreadable';

function damagePhrase(file: string, damage: DamageKind): string {
  switch (damage) {
    case 'missing':
      return `${file} is missing`;
    case 'torn':
      return `${file} is torn or not what semlab wrote`;
    case 'not-a-folder':
      return `${file} is a file where a folder should be`;
    case 'unreadable':
      return `${file} cannot be read`;
  }
}

/** How an unmet expectation missed, computed from the data (src/scenario/expect.ts). */
export type MissKind = 'more' | 'fewer' | 'short' | 'over' | 'held' | 'broke' | 'no-verdict';
export interface MissDetail {
  readonly kind: MissKind;
  readonly gap: number;
  /** The comparison as written, without spaces: ">0", "<=5". */
  readonly shown: string;
}

/** The data a verdict line is built from: never the English reason string of the report. */
export interface VerdictFacts {
  readonly semantics: string;
  readonly lost: number;
  readonly duplicates: number;
  readonly noLoss: boolean;
  readonly noDuplicates: boolean;
  /** Epochs never settled: more than 0 means the run did not finish, and there is no verdict. */
  readonly unsettled?: number;
  /** The run ended without finishing (stalled), whatever `unsettled` says. */
  readonly unfinished?: boolean;
  /** The history broke a consistency check (a bug in semlab): no verdict. */
  readonly inconsistent?: boolean;
}

/** A broken consistency check (src/report/checker.ts), as the table and the error name it. */
export interface ViolationWords {
  readonly check: string;
  readonly epoch: number | null;
  readonly worker?: string;
  readonly incarnation?: number;
}

/** "at epoch 17 (w2, incarnation 1)" */
const violationPlace = (v: ViolationWords): string =>
  `at epoch ${String(v.epoch)}${
    v.worker
      ? ` (${v.worker}${v.incarnation !== undefined ? `, incarnation ${v.incarnation}` : ''})`
      : ''
  }`;

/** Where a scenario file went wrong: file, line and field path ('' for the top level). */
export interface At {
  readonly file: string;
  readonly line: number;
  readonly path: string;
}

/** "; did you mean 'x'?" or nothing. */
const suggest = (suggestion: string | undefined): string =>
  suggestion ? `; did you mean '${suggestion}'?` : '';

const where = (at: At): string => `${at.file}:${at.line}: ${at.path || '(top level)'}`;

const shown = (found: string | undefined): string => found ?? 'nothing';

/** System error codes (errno, SQLite) as causes a person can act on; others print as the code. */
const FS_CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the disk',
  SQLITE_FULL: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  SQLITE_READONLY: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'it is a folder, not a file',
  ENOENT: 'no such file or folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'an input/output error (a failing disk?)',
  SQLITE_IOERR: 'an input/output error (a failing disk?)',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_CORRUPT: 'the database file is damaged',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'timed out',
  EADDRINUSE: 'the address is already in use',
  EPIPE: 'the other end closed the pipe',
};
const cause = (code: string): string => FS_CAUSES[code] ?? code;

/** The codes that mean a full disk: the hint is to free space, not to pick a writable folder. */
export const NO_SPACE: ReadonlySet<string> = new Set(['ENOSPC', 'SQLITE_FULL', 'EDQUOT']);

function percent(p: number): string {
  return `${Math.round(p * 1000) / 10}%`;
}

function ordinal(n: number): string {
  if (n === 1) return '';
  const suffix =
    n % 10 === 1 && n % 100 !== 11
      ? 'st'
      : n % 10 === 2 && n % 100 !== 12
        ? 'nd'
        : n % 10 === 3 && n % 100 !== 13
          ? 'rd'
          : 'th';
  return `${n}${suffix}`;
}

function miss(detail: MissDetail): string {
  switch (detail.kind) {
    case 'more':
      return `${detail.gap} more than expected`;
    case 'fewer':
      return `${detail.gap} fewer than expected`;
    case 'short':
      return `${detail.gap} short of ${detail.shown}`;
    case 'over':
      return `${detail.gap} over ${detail.shown}`;
    case 'held':
      return 'the promise held';
    case 'broke':
      return 'the promise broke';
    case 'no-verdict':
      return 'no verdict';
  }
}

/** What each consistency check (src/report/checker.ts) asserts, broken. */
const CHECK_MEANINGS_EN: Readonly<Record<string, string>> = {
  'effect-without-receipt': 'an effect of an epoch no worker received',
  'ack-without-execution': 'an ack from a worker that neither executed nor skipped the epoch',
  'event-after-crash': 'a worker journal goes on after its crash',
  'epoch-out-of-range': 'an epoch outside 1..messages',
  'ack-without-send': 'an ack of an attempt the dispatcher never sent',
  'atomic-double-effect': 'two effects of one epoch in the atomic store',
};

export const en = {
  number: (n: number): string => n.toLocaleString('en-US'),
  seconds: (ms: number): string => (ms / 1000).toFixed(2),

  // The run table (src/report/render-table.ts).
  runHeader: (p: {
    transport: string;
    workers: number;
    messages: number;
    seed: number;
    store: string;
  }): string =>
    ` over ${p.transport} · ${p.workers} workers · ${p.messages} messages · seed ${p.seed} · store ${p.store}`,
  faults: (faults: readonly string[]): string =>
    `faults: ${faults.length > 0 ? faults.join('; ') : 'none'}`,
  /** Before the faults line: which clock the run's time was on. */
  clockKind: (kind: 'virtual' | 'real'): string =>
    kind === 'virtual' ? 'virtual clock' : 'real clock',
  injected: (p: { fault: string; count: number }): string => `${p.fault} (${p.count} injected)`,
  externalKills: (count: number): string =>
    `${count} worker ${count === 1 ? 'death' : 'deaths'} from outside`,
  faultDrop: (p: { direction: 'work' | 'ack'; probability: number }): string =>
    `drop ${p.direction} ${percent(p.probability)}`,
  faultDelay: (p: { direction: 'work' | 'ack'; ms: number; probability: number }): string =>
    `delay ${p.direction} ${p.ms} ms ${percent(p.probability)}`,
  faultCrash: (p: { point: string; every: number }): string =>
    `crash ${p.point} every ${ordinal(p.every)} epoch`,
  faultWork: (p: { ms: number; jitterMs: number }): string =>
    `work takes ${p.ms}${p.jitterMs > 0 ? `±${p.jitterMs}` : ''} ms`,
  faultPause: (p: { point: string; every: number; ms: number }): string =>
    `pause ${p.point} every ${ordinal(p.every)} epoch for ${p.ms} ms`,
  faultDuplicate: (p: { direction: 'work' | 'ack'; probability: number }): string =>
    `duplicate ${p.direction} ${percent(p.probability)}`,
  faultReorder: (p: { probability: number; ms: number }): string =>
    `reorder ${percent(p.probability)} (held ${p.ms} ms)`,
  faultPartition: (p: {
    worker: string;
    direction: 'work' | 'ack' | 'both';
    atMs: number;
    ms: number;
  }): string =>
    `partition ${p.worker}${p.direction === 'both' ? '' : ` (${p.direction} only)`} at ${p.atMs} ms for ${p.ms} ms`,
  faultCrashBroker: (p: { target: string; afterAcked: number; restartMs: number }): string =>
    `crash broker ${p.target} after ${p.afterAcked} acks, restart after ${p.restartMs} ms`,
  /** A live action from the live view's keys, as the faults line lists it. */
  faultLive: (p: LiveFaultWords): string =>
    `live: ${
      {
        'drop-work': `drop work ${p.dropPercent} (key d)`,
        'drop-ack': `drop acks ${p.dropPercent} (key a)`,
        'slow-ack': `slow acks, ${p.slowAckTimeouts}× the timeout (key s)`,
        pause: 'dispatching paused (key p)',
        'freeze-worker': 'workers frozen (key z, then the worker)',
        'cut-worker': 'messages lost to a cut-off worker (key x, then the worker)',
        'crash-worker': 'workers killed (key c)',
      }[p.action]
    }`,
  kafkaDispatcherMode:
    "kafka dispatcher mode: the dispatcher's retries; offsets committed on receipt",
  kafkaNativeMode: {
    'on-receipt': 'kafka native: offsets committed on receipt, before the work',
    'after-processing': 'kafka native: offsets committed after the work',
    transaction: 'kafka native: offset, effect and ack in one transaction',
  },
  kafkaDetails: (p: { mode: string; acks: string; partitions: number }): string =>
    `${p.mode} · acks=${p.acks} · ${p.partitions} partitions`,
  /** The interactive lab's menus (src/cli/commands/lab.ts). */
  lab: {
    banner: ' · message delivery semantics, live',
    lessons: 'Lessons',
    build: 'build a run (semantics, transport, workers, messages, faults)',
    quit: 'quit',
    pickLesson: 'lesson number, b or q: ',
    notOnList: (p: { answer: string }): string => `'${p.answer}' is not on the list`,
    semantics: 'Semantics',
    pickSemantics: 'semantics number [2]: ',
    transport: 'transport',
    workers: 'workers',
    messages: 'messages',
    faultsHint: 'faults as flags, e.g. --drop-ack 0.2 --crash after-execute@10 (Enter: none)',
    faults: 'faults: ',
    workerCmd: "your worker program, e.g. python3 my_worker.py (Enter: the preset's steps): ",
    afterRun:
      'r run again · k change a setting (e.g. --seed 9, --workers 5) · c compare all five semantics · v a variant of the lesson (listed below) · m menu',
    pickAfterRun: 'r, k, c or m: ',
    knob: 'flag and value: ',
    notAChoice: (p: { answer: string }): string => `'${p.answer}' is not one of r, k, c, m`,
    stopped: 'run stopped',
    stoppedPartial: (p: {
      settled: number;
      messages: number;
      sent: number;
      delivered: number;
      executed: number;
      lost: number;
      twice: number;
    }): string =>
      `run stopped, partial counts so far: ${p.settled}/${p.messages} settled · sent ${p.sent} · delivered ${p.delivered} · executed ${p.executed} · lost ${p.lost} · twice ${p.twice}`,
    bye: 'bye',
  },
  /** The live view (src/cli/live-view.ts) and the one-line progress. */
  live: {
    settled: 'settled',
    sent: 'sent',
    acked: 'acked',
    inFlight: 'in flight',
    faults: 'faults',
    workers: 'workers',
    switchesLabel: 'live',
    latest: 'latest',
    nothingYet: 'nothing yet',
    keys: 'keys: c crash a worker · 1-9 crash that one · d drop work · a drop acks · s slow acks · p pause · z+1-9 freeze/thaw · x+1-9 cut off/heal · q quit',
    states: {
      starting: 'starting',
      running: 'running',
      crashed: 'crashed',
      restarting: 'restarting',
      stopped: 'stopped',
      paused: 'frozen',
    },
    switches: {
      'drop-work': 'drop work',
      'drop-ack': 'drop acks',
      'slow-ack': 'slow acks',
      pause: 'paused',
    },
    on: 'ON',
    off: 'off',
    killed: (p: { worker: string }): string => `killed ${p.worker}`,
    noWorkerYet: 'no worker to kill yet',
    freezeWhich: 'freeze or thaw which worker? 1-9',
    freezing: (p: { worker: string }): string => `freezing or thawing ${p.worker}`,
    noWorkerToFreeze: 'no such worker running',
    cutWhich: 'cut off or reconnect which worker? 1-9',
    cutting: (p: { worker: string }): string => `cutting ${p.worker} off, or reconnecting it`,
    died: (p: { worker: string; detail?: string }): string =>
      `${p.worker} died${p.detail ? ` (${p.detail})` : ''}`,
    quitting: 'quitting',
  },
  rows: {
    messages: { name: 'messages', meaning: 'epochs the run had to deliver' },
    sent: { name: 'sent', meaning: 'send attempts, retries included' },
    retries: { name: 'retries', meaning: 'sends after the first' },
    delivered: { name: 'delivered', meaning: 'receipts at workers, repeats included' },
    duplicateDeliveries: {
      name: 'duplicate deliveries',
      meaning: 'receipts of an epoch already received',
    },
    executed: { name: 'executed', meaning: 'effects applied (from the ledger)' },
    duplicateExecutions: { name: 'duplicate executions', meaning: 'effects applied again' },
    acked: { name: 'acked', meaning: 'epochs whose ack reached the dispatcher' },
    lost: { name: 'lost', meaning: 'epochs settled (acked, given up), never run' },
    unsettled: { name: 'unsettled', meaning: 'epochs neither acked nor given up' },
  },
  verdict: 'verdict',
  promise: 'promise',
  heldBadge: 'HELD',
  brokenBadge: 'BROKEN',
  noVerdictBadge: 'NO VERDICT',
  promises: {
    'at-most-once': 'never twice; may lose',
    'at-least-once': 'never lost; may repeat',
    'exactly-once': 'never lost, never twice (epoch dedupe)',
    'exactly-once-atomic': 'never lost, never twice',
    'at-most-once-execution': 'never twice; fewer losses than at-most-once',
  },
  /** The same words as the checker's `verdict.reason` (src/report/checker.ts), from the counts. */
  verdictReason: (v: VerdictFacts): string => {
    const unsettled = v.unsettled ?? 0;
    if (v.inconsistent) return 'no verdict: the history is inconsistent, a bug in semlab';
    if (v.unfinished || unsettled > 0)
      return `no verdict: the run did not finish${unsettled > 0 ? ` (${unsettled} epoch${unsettled === 1 ? '' : 's'} unsettled)` : ''}`;
    const broken: string[] = [];
    const allowed: string[] = [];
    if (v.lost > 0) (v.noLoss ? broken : allowed).push(`${v.lost} lost`);
    if (v.duplicates > 0)
      (v.noDuplicates ? broken : allowed).push(
        `${v.duplicates} duplicate execution${v.duplicates === 1 ? '' : 's'}`,
      );
    if (broken.length > 0) {
      const promised = [v.noLoss ? 'never lost' : '', v.noDuplicates ? 'never twice' : '']
        .filter(Boolean)
        .join(', ');
      return `${broken.join(' and ')}: ${v.semantics} promises ${promised}`;
    }
    if (allowed.length > 0) return `${allowed.join(' and ')}: ${v.semantics} allows this`;
    return 'nothing lost, nothing executed twice';
  },
  stalled: (diagnosis: string | undefined): string => `stalled: ${diagnosis ?? 'no diagnosis'}`,
  inconsistentHistory: (count: number): string =>
    `inconsistent history: ${count} broken consistency check${count === 1 ? '' : 's'}\nthis is a bug in semlab, not a verdict about the semantics:`,
  violation: (v: ViolationWords): string =>
    `${v.check} ${violationPlace(v)}: ${CHECK_MEANINGS_EN[v.check] ?? v.check}`,
  moreViolations: (count: number): string => `… and ${count} more`,
  workerColumns: {
    worker: 'worker',
    delivered: 'delivered',
    executed: 'executed',
    skipped: 'skipped',
    acksSent: 'acks sent',
    crashes: 'crashes',
    deaths: 'deaths',
  },
  runFooter: (p: {
    throughput: string;
    seconds: string;
    runId: string;
    runDir: string;
    virtualMs?: string;
  }): string =>
    `${p.virtualMs !== undefined ? `virtual clock: ${p.virtualMs} ms of run time · ` : 'real clock · '}${p.throughput} msg/s · ${p.seconds} s · run ${p.runId} (${p.runDir})`,

  // The compare table (src/report/render-compare.ts): short headers keep it within 80 columns.
  compareColumns: {
    semantics: 'semantics',
    transport: 'transport',
    sent: 'sent',
    retries: 'retries',
    delivered: 'deliv',
    executed: 'exec',
    duplicates: 'dup',
    acked: 'acked',
    lost: 'lost',
    verdict: 'verdict',
    expect: 'expect',
  },
  heldCell: 'held',
  brokenCell: 'BROKEN',
  noVerdictCell: 'none',
  metCell: 'met',
  missedCell: 'MISSED',
  noRuns: 'no runs',
  compareHeader: (p: {
    workers: number;
    messages: number;
    seed: number;
    store: string;
    timeoutMs: number;
  }): string =>
    `${p.workers} workers · ${p.messages} messages · seed ${p.seed} · store ${p.store} · timeout ${p.timeoutMs} ms`,

  // Scenario expectations (src/report/render-scenario.ts).
  expect: 'expect',
  got: (actual: string): string => `got ${actual}`,
  miss,

  // semlab trace and semlab runs (src/report/render-trace.ts).
  traceRun: (runId: string): string => `run ${runId}`,
  traceHeader: (p: {
    semantics: string;
    transport: string;
    workers: number;
    messages: number;
    seed: number;
  }): string =>
    ` · ${p.semantics} over ${p.transport} · ${p.workers} workers · ${p.messages} messages · seed ${p.seed}`,
  lostLabel: 'LOST',
  executedTimes: (times: number): string => `EXECUTED ${times}×`,
  okLabel: 'ok',
  epoch: (epoch: number): string => `epoch ${epoch}`,
  neverSent: 'never sent',
  traceSummary: (p: { shown: number; lost: number; twice: number }): string =>
    `${p.shown} epoch${p.shown === 1 ? '' : 's'} shown: ${p.lost} lost, ${p.twice} executed more than once`,
  noRunsYet: 'no runs yet; start one with `semlab run at-least-once`',
  runsWhat: (p: { semantics: string; transport: string; messages: number }): string =>
    `${p.semantics} over ${p.transport}, ${p.messages} messages`,
  runsCounts: (p: { lost: number; twice: number }): string => `${p.lost} lost, ${p.twice} twice`,
  heldWord: 'held',
  brokenWord: 'broken',
  noVerdictWord: 'no verdict',
  status: { completed: 'completed', stalled: 'stalled' },
  noReport: 'no report (interrupted or failed)',
  runInProgress: 'in progress',
  runStartingWord: 'in progress (starting)',
  runInterrupted: 'interrupted: its semlab process is gone, no report',
  runDamagedLine: (p: { file: string; damage: DamageKind }): string =>
    `damaged: ${damagePhrase(p.file, p.damage)}; skipped`,
  traceInProgress: 'in progress: what the journals hold so far; the counts are partial',
  traceInterrupted:
    'interrupted: its semlab process is gone; the counts are what the journals held then',
  tracePartial: ' (partial)',
  traceEffectsUnavailable: (p: { store: string }): string =>
    `the effects the ${p.store} store records itself cannot be read yet; epochs it executed may show as lost`,
  traceTransportEffectsLater: (p: { transport: string }): string =>
    `effects recorded in ${p.transport} are read only by the run's own check, at its end`,
  /** Steps, causes and the sequence diagram of `semlab trace` (./trace-words.ts). */
  trace: traceWordsEn as TraceWords,

  // Errors: the CLI's one printer renders them in the chosen language (src/cli/main.ts).
  missingTarget: (_p: Record<string, never>): string =>
    "missing required argument 'target' (a semantics, a scenario or a scenario file; or --replay RUN); see `semlab run --help`",
  unknownTarget: (p: {
    target: string;
    suggestion?: string;
    semantics: readonly string[];
    scenarios: readonly string[];
  }): string =>
    `unknown semantics or scenario '${p.target}'${suggest(p.suggestion)}; ` +
    `valid semantics: ${p.semantics.join(', ')}; scenarios: ${p.scenarios.join(', ') || 'none'} (or a .yaml file)`,
  unknownSemantics: (p: { name: string; suggestion?: string; valid: readonly string[] }): string =>
    `unknown semantics '${p.name}'${suggest(p.suggestion)}; valid: ${p.valid.join(', ')}`,
  unknownTransport: (p: { name: string; available: readonly string[] }): string =>
    `unknown transport '${p.name}'; available: ${p.available.join(', ')}`,
  notOneOf: (p: {
    flag: string;
    found: string;
    allowed: readonly string[];
    suggestion?: string;
  }): string =>
    `${p.flag}: '${p.found}' is not one of ${p.allowed.join(', ')}${suggest(p.suggestion)}`,
  semanticsListItem: (p: { name: string; suggestion?: string; valid: readonly string[] }): string =>
    `--semantics: '${p.name}' is not a semantics${suggest(p.suggestion)}; valid: all, ${p.valid.join(', ')}`,
  replayNeedsVirtual: (p: { runId: string }): string =>
    `run ${p.runId} ran on the real clock: only a virtual-clock run takes the same path again, so only such a run can be replayed`,
  clockNeedsRouting: (p: { transport: string }): string =>
    `--clock virtual needs a transport the dispatcher routes (zmq, redis lists, or kafka in dispatcher mode); ${p.transport} decides delivery by itself, so it runs on --clock real`,
  clockBrokerCrash: (_p: Record<string, never>): string =>
    '--clock virtual cannot run with --crash-broker: a killed broker may lose or hold records in flight, which virtual time cannot tell from slow ones; it runs on --clock real',
  needsKafka: (p: { flag: string; transport: string }): string =>
    `${p.flag} needs --transport kafka (this run uses ${p.transport})`,
  needsRedisTransport: (p: { transport: string }): string =>
    `--redis-mode and --reclaim-idle need --transport redis (this run uses ${p.transport})`,
  kafkaBrokersFormat: (p: { text: string }): string =>
    `--kafka-brokers: '${p.text}' is not a list of host:port such as 127.0.0.1:9092,127.0.0.1:9093`,
  crashBrokerFormat: (p: { text: string }): string =>
    `--crash-broker: '${p.text}' is not leader@K[:MS] (for example leader@200:5000: kill the leader of the work partition after 200 acks, restart it 5 s later)`,
  crashFormat: (p: { text: string; points: readonly string[] }): string =>
    `--crash: '${p.text}' is not POINT@K (for example after-execute@10); POINT is one of ${p.points.join(', ')}`,
  crashPoint: (p: { point: string; suggestion?: string; valid: readonly string[] }): string =>
    `--crash: '${p.point}' is not a crash point${suggest(p.suggestion)}; valid: ${p.valid.join(', ')}`,
  workMsFormat: (p: { text: string }): string =>
    `--work-ms: '${p.text}' is not MS[±J] (for example 50 or 50±20, also written 50+-20)`,
  reorderFormat: (p: { text: string }): string =>
    `--reorder: '${p.text}' is not P[:MS] (for example 0.2:30: one message in five held back 30 ms while the next ones overtake it)`,
  partitionFormat: (p: { text: string }): string =>
    `--partition: '${p.text}' is not wN[:work|ack]@T:MS (for example w2@100:300: cut w2 off both ways from 100 ms for 300 ms)`,
  partitionWorker: (p: { worker: string; workers: number }): string =>
    `--partition: the run has no worker ${p.worker} (its workers are w1..w${p.workers})`,
  partitionNeedsVirtual: (p: { worker: string }): string =>
    `--partition ${p.worker}: cutting the work direction needs the virtual clock (the dispatcher routes work there); on the real clock use ${p.worker}:ack`,
  pauseFormat: (p: { text: string; points: readonly string[] }): string =>
    `--pause: '${p.text}' is not POINT@K:MS (for example after-execute@10:500: freeze the worker of every 10th epoch for 500 ms); POINT is one of ${p.points.join(', ')}`,
  delayFormat: (p: { flag: string; text: string }): string =>
    `${p.flag}: '${p.text}' is not MS[@P] (for example 500@0.1)`,
  probability: (p: { flag: string; text: string }): string =>
    `${p.flag}: '${p.text}' is not a probability; use a number from 0 to 1, such as 0.2`,
  redisUrlDatabase: (p: { text: string; path: string }): string =>
    `--redis-url: '${p.text}': '${p.path}' is not a database index; after the port comes /N, a whole number (redis://127.0.0.1:6379/5)`,
  redisUrlFormat: (p: { text: string }): string =>
    `--redis-url: '${p.text}' is not a Redis URL such as redis://127.0.0.1:6379`,
  wholeNumber: (p: { flag: string; text: string; min: number; max: number }): string =>
    `${p.flag}: '${p.text}' is not allowed; use a whole number from ${p.min} to ${p.max}`,
  epochNotWhole: (p: { text: string }): string => `--epoch: '${p.text}' is not a whole number`,
  historyInconsistent: (p: ViolationWords & { count: number; runDir: string }): string =>
    `the run's history breaks the consistency check ${p.check} ${violationPlace(p)}${
      p.count > 1 ? ` (and ${p.count - 1} more)` : ''
    }: this is a bug in semlab, not a verdict about the semantics; journals kept in ${p.runDir}`,
  runStalled: (p: { diagnosis?: string; runDir: string }): string =>
    `the run stalled: ${p.diagnosis ?? 'no diagnosis'}; journals kept in ${p.runDir}`,
  expectationsNotMet: (p: {
    misses: readonly {
      semantics: string;
      transport: string;
      field: string;
      expected: string;
      actual: string;
      miss?: MissDetail;
    }[];
  }): string =>
    `expectations not met: ${p.misses
      .map(
        (m) =>
          `${m.semantics} over ${m.transport}: ${m.field} expected ${m.expected}, got ${m.actual} (${m.miss ? miss(m.miss) : 'missed'})`,
      )
      .join('; ')}`,
  runDamaged: (p: { runId: string; file: string; damage: DamageKind }): string =>
    `run ${p.runId} cannot be read: ${damagePhrase(p.file, p.damage)}`,
  runStarting: (p: { runId: string }): string =>
    `run ${p.runId} is just starting and has recorded nothing yet; trace it again in a moment`,
  interrupted: (p: { signal: string }): string =>
    `interrupted by ${p.signal}; every child process was stopped`,
  childNotReady: (p: {
    worker?: string;
    incarnation?: number;
    pid: number;
    what: string;
    ms: number;
  }): string =>
    `${p.worker ? `worker ${p.worker} (incarnation ${p.incarnation ?? 0})` : 'the dispatcher'}, pid ${p.pid}, started but did not report '${p.what}' within ${p.ms} ms`,
  workerExited: (p: {
    worker: string;
    incarnation: number;
    code: number | null;
    detail: string;
  }): string =>
    `worker ${p.worker} (incarnation ${p.incarnation}) failed with exit code ${p.code}${p.detail}`,
  redisUnreachable: (p: { url: string; why: string }): string =>
    `cannot use Redis at ${p.url} (${p.why}); start one with \`scripts/services up redis\` (prints REDIS_URL=...) or \`docker compose up -d redis\`, ` +
    'then pass --redis-url or set REDIS_URL',
  redisNotAnswering: (p: { url: string; seconds: number }): string =>
    `Redis at ${p.url} stopped answering: it accepts connections but replied to nothing within ${p.seconds} s (a frozen or overloaded server)`,
  redisNotRedis: (p: { url: string; why: string }): string =>
    `the server at ${p.url} does not behave like Redis (${p.why}); check the address of --redis-url or REDIS_URL`,
  redisNoDatabase: (p: { url: string; db: number; why: string }): string =>
    `Redis at ${p.url} has no database ${p.db} (${p.why}); pick an index the server has (0 to databases - 1 of its configuration)`,
  kafkaNotAnswering: (p: { brokers: string; broker: string; seconds: number }): string =>
    `Kafka at ${p.brokers} stopped answering: ${p.broker} accepts connections but the cluster answered nothing within ${p.seconds} s (a frozen or overloaded broker)`,
  kafkaUnreachable: (p: { brokers: string; why: string }): string =>
    `cannot reach Kafka at ${p.brokers} (${p.why}); start one with \`scripts/services up kafka\` (prints KAFKA_BROKERS=...) or \`docker compose up -d kafka-1 kafka-2 kafka-3\`, then pass --kafka-brokers or set KAFKA_BROKERS`,

  needsRedis: (p: { flag: string; transport: string; store: string }): string =>
    `${p.flag} applies to --transport redis or --store redis (this run uses ${p.transport} and ${p.store})`,
  keepNeedsService: (p: { transport: string; store: string }): string =>
    `--keep applies to --transport redis or kafka, or --store redis: nothing else leaves keys or topics (this run uses ${p.transport} and ${p.store})`,
  flagListTooLong: (p: { flag: string; count: number; max: number }): string =>
    `${p.flag}: ${p.count} given; at most ${p.max} in one command`,
  flagListRepeated: (p: { flag: string; name: string }): string =>
    `${p.flag}: '${p.name}' is given twice`,

  // Command-line syntax (commander's errors, reworded in src/cli/commander-errors.ts).
  unknownOption: (p: { option: string; suggestion?: string; help: string }): string =>
    `unknown option '${p.option}'${suggest(p.suggestion)} (\`${p.help}\` lists the options)`,
  unknownCommand: (p: { command: string; suggestion?: string }): string =>
    `unknown command '${p.command}'${suggest(p.suggestion)}; \`semlab --help\` lists the commands`,
  missingArgument: (p: { argument: string; help: string }): string =>
    `missing required argument '${p.argument}'; see \`${p.help}\``,
  optionMissingArgument: (p: { option: string }): string => `option '${p.option}' needs a value`,
  excessArguments: (p: { command: string; expected: number; got: number }): string =>
    `too many arguments for '${p.command}': expected ${p.expected}, got ${p.got}`,
  commandLine: (p: { text: string }): string => p.text,

  // Files and folders: the cause a person can act on, from the system's error code.
  eventsNoFolder: (p: { file: string; folder: string }): string =>
    `--events: the folder '${p.folder}' does not exist; create it or name a file in an existing folder`,
  eventsIsFolder: (p: { file: string }): string =>
    `--events: '${p.file}' is a folder; name a file to write the events to`,
  eventsNotWritten: (p: { file: string; code: string }): string =>
    `could not write the events to '${p.file}': ${cause(p.code)}`,
  stateDirUnusable: (p: { path: string; code: string }): string =>
    `cannot keep runs in '${p.path}': ${cause(p.code)}; ${
      NO_SPACE.has(p.code)
        ? 'free some space, or set SEMLAB_HOME to a folder on another disk'
        : 'set SEMLAB_HOME to a folder you can write'
    }`,
  systemFailure: (p: { code: string; path?: string }): string =>
    p.path ? `${cause(p.code)}: '${p.path}'` : cause(p.code),
  unexpected: (p: { message: string }): string =>
    `unexpected error: ${p.message} (a bug in semlab? SEMLAB_DEBUG=1 prints where it happened)`,

  // Scenario files (src/scenario/load.ts): file:line: field: what was found, what is allowed.
  noScenarioFile: (p: {
    target: string;
    suggestion?: string;
    bundled: readonly string[];
  }): string =>
    `no scenario file '${p.target}'${suggest(p.suggestion)}; bundled scenarios: ${p.bundled.join(', ')}`,
  scenarioIsFolder: (p: { file: string }): string => `'${p.file}' is a folder, not a scenario file`,
  scenarioTooLarge: (p: { file: string; size: number; max: number }): string =>
    `${p.file}: ${p.size} bytes is too large for a scenario file; the most allowed is ${p.max}`,
  scenarioUnreadable: (p: { file: string; code: string }): string =>
    `cannot read '${p.file}': ${cause(p.code)}`,
  yamlAliases: (p: { file: string; max: number }): string =>
    `${p.file}: its YAML aliases expand to more than ${p.max} nodes; a scenario needs few or none`,
  fieldTooMany: (p: At & { count: number; maximum: number }): string =>
    `${where(p)}: ${p.count} entries is too many; the most allowed is ${p.maximum}`,
  fieldRepeated: (p: At & { found: string }): string => `${where(p)}: ${p.found} is listed twice`,
  yamlInvalid: (p: { file: string; line: number; what: string }): string =>
    `${p.file}:${p.line}: not valid YAML: ${p.what}`,
  notAMapping: (p: { file: string }): string =>
    `${p.file}:1: a scenario is a mapping of fields (name, title, semantics, ...)`,
  expectNotAmong: (p: {
    file: string;
    line: number;
    name: string;
    semantics: readonly string[];
  }): string =>
    `${p.file}:${p.line}: expect.${p.name}: '${p.name}' is not among this scenario's semantics (${p.semantics.join(', ')})`,
  unknownField: (p: At & { suggestion?: string; allowed: readonly string[] }): string =>
    `${p.file}:${p.line}: ${p.path}: unknown field${suggest(p.suggestion)}; allowed: ${p.allowed.join(', ')}`,
  fieldNotOneOf: (
    p: At & { found?: string; allowed: readonly string[]; suggestion?: string },
  ): string =>
    `${where(p)}: ${shown(p.found)} is not one of ${p.allowed.join(', ')}${suggest(p.suggestion)}`,
  fieldNotAllowed: (p: At & { found?: string; hint: 'names' | 'comparison' }): string =>
    `${where(p)}: ${shown(p.found)} is not allowed here; ${
      p.hint === 'names'
        ? 'use one name or a list of names'
        : 'use a number, or a comparison such as ">0", "<=5", "0"'
    }`,
  fieldMissing: (p: At & { expected: string }): string =>
    `${where(p)}: missing; this field is required (${p.expected})`,
  fieldWrongType: (p: At & { found?: string; expected: string }): string => {
    const word = p.expected === 'int' ? 'whole number' : p.expected;
    return `${where(p)}: ${shown(p.found)} is not ${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
  },
  fieldTooSmall: (p: At & { found?: string; minimum: string }): string =>
    `${where(p)}: ${shown(p.found)} is too small; the least allowed is ${p.minimum}`,
  fieldTooBig: (p: At & { found?: string; maximum: string }): string =>
    `${where(p)}: ${shown(p.found)} is too large; the most allowed is ${p.maximum}`,
  fieldBadFormat: (p: At & { found?: string; use: string }): string =>
    `${where(p)}: ${shown(p.found)} is not allowed; use ${p.use}`,
  fieldInvalid: (p: At & { message: string }): string => `${where(p)}: ${p.message}`,
  // The HTML report's words: a module of their own (./html-en.ts).
  html: htmlEn,

  // A student's worker program that broke the protocol (src/core/external-worker/).
  workerCmdEmpty: (_p: Record<string, never>): string =>
    '--worker-cmd: the command is empty; give the command that starts your worker, e.g. "python3 my_worker.py"',
  // semlab grade (src/cli/commands/grade.ts).
  gradeTitle: (p: { claim: string; command: string; seed: string; transport: string }): string =>
    `grade: claim ${p.claim} · ${p.transport}, virtual clock · seed ${p.seed}\nworker: ${p.command}`,
  gradeColumns: 'case                  verdict     sent  deliv   exec  twice   lost',
  gradeFirstBroken: (p: { id: string; reason: string }): string =>
    `first broken case: ${p.id}: ${p.reason}\none epoch that broke it:`,
  gradeAllHeld: (p: { total: number }): string => `the claim held in all ${p.total} cases`,
  gradeBroken: (p: { claim: string; broken: number; total: number }): string =>
    `the worker broke its claim (${p.claim}) in ${p.broken} of ${p.total} cases`,
  studentBadLine: (p: {
    worker: string;
    line: number;
    problem: string;
    detail: string;
    text: string;
  }): string =>
    `the worker program of ${p.worker} broke the protocol: its line ${p.line} ${
      p.problem === 'not-json'
        ? 'is not JSON'
        : p.problem === 'not-object'
          ? 'is not a JSON object'
          : p.problem === 'bad-field'
            ? `has no valid "${p.detail}"`
            : p.problem === 'not-init-ok'
              ? 'is not the init_ok that answers init'
              : `is of an unknown type '${p.detail}'`
    }: ${p.text}`,
  studentWrongEpoch: (p: {
    worker: string;
    line: number;
    type: string;
    epoch: number;
    inHand: number;
    text: string;
  }): string =>
    `the worker program of ${p.worker} broke the protocol: its line ${p.line} asks '${p.type}' for epoch ${p.epoch}, but the work in hand is epoch ${p.inHand}: ${p.text}`,
  studentNoAnswer: (p: { worker: string; ms: number; text: string }): string =>
    `the worker program of ${p.worker} broke the protocol: no line within ${p.ms} ms after ${p.text}`,
  studentExited: (p: { worker: string; how: string; lines: number; notFound: boolean }): string =>
    p.notFound
      ? `the worker program of ${p.worker} could not be started (${p.how}): is --worker-cmd right? the shell's message is in the run folder's worker-logs/`
      : `the worker program of ${p.worker} broke the protocol: it exited on its own (${p.how}) after ${p.lines} line${p.lines === 1 ? '' : 's'}; its stderr is in the run folder's worker-logs/`,

  // Class mode and the rest of the Portuguese pass (issue 15). English keeps the JSON names.
  /** An expect field as the expectation line names it: the JSON name in English. */
  expectField: (field: string): string => field,
  /** An expected or observed value of a field (`held: true`). */
  expectValue: (value: string): string => value,
  decimalComma: (p: { flag: string; text: string; dotted: string }): string =>
    `${p.flag}: '${p.text}' has a decimal comma; write ${p.dotted} (commas are read under --lang pt-BR)`,
  /** The live view's first line: "[1/2] exactly-once over zmq · 3 workers · 100 messages". */
  liveHeader: (p: {
    label: string;
    transport: string;
    workers: number;
    messages: number;
  }): string => `${p.label} over ${p.transport} · ${p.workers} workers · ${p.messages} messages`,
  /** One entry of the live view's ticker, from the dispatcher's fault journal. */
  tickerFault: (p: {
    direction: 'work' | 'ack';
    epoch: number;
    ms?: number;
    live: boolean;
  }): string =>
    `${p.direction} of ${p.epoch} ${p.ms === undefined ? 'dropped' : `held ${p.ms} ms`}${p.live ? ' (live)' : ''}`,
  /** Why a worker died, in the live view. */
  crashDetail: (p: { point?: string; epoch?: number; signal?: string; live?: boolean }): string =>
    p.point !== undefined
      ? `${p.point} at epoch ${String(p.epoch)}`
      : p.live
        ? 'killed from the live view'
        : `killed by ${p.signal ?? '?'}`,
  /** Several errors of one scenario file, said together. */
  scenarioErrors: (p: { count: number }): string =>
    `${p.count} errors in the scenario file; each is on its own line below`,
  classMode: {
    banner: ' · class mode: the lessons in the order of the course',
    listTitle: 'Lessons, in the order of the course',
    needs: (service: string): string => `needs ${service}`,
    inProcess: 'no server',
    pickStart: 'Enter starts with lesson 1 · a number starts there · q quits: ',
    lessonOf: (p: { index: number; count: number }): string => `lesson ${p.index} of ${p.count}`,
    predictTitle: 'Before the run, the class guesses (a number, or Enter to skip):',
    predictLost: (semantics: string): string => `${semantics}: how many lost? `,
    predictTwice: (semantics: string): string => `${semantics}: how many executed twice? `,
    notANumber: (answer: string): string =>
      `'${answer}' is not a whole number; type one, or Enter to skip`,
    guess: 'guess',
    observed: 'observed',
    hit: 'right',
    miss: 'off',
    lost: 'lost',
    twice: 'twice',
    running: (p: { index: number; count: number; semantics: string }): string =>
      `running ${p.index}/${p.count}: ${p.semantics}`,
    next: 'Enter next lesson · r run again · q quit',
    serviceMissing: (p: { service: string; where: string }): string =>
      `${p.service} is not reachable at ${p.where}: s starts a local one (scripts/services), Enter skips this lesson`,
    serviceStarting: (service: string): string => `starting ${service}…`,
    serviceStarted: (p: { service: string; where: string }): string =>
      `${p.service} is up at ${p.where}; it stops when the class ends`,
    serviceFailed: (p: { service: string; why: string }): string =>
      `could not start ${p.service}: ${p.why}; skipping the lesson`,
    serviceStopped: (service: string): string => `${service} stopped`,
    skipped: 'lesson skipped',
    end: 'end of the class',
  },
  // Finding a kept run (src/report/run-history.ts).
  noRunsIn: (p: { root: string }): string =>
    `no runs in ${p.root} yet; start one with \`semlab run at-least-once\``,
  noSuchRun: (p: { target: string; root: string; newest: string }): string =>
    `no run '${p.target}' in ${p.root}; the newest are ${p.newest} (semlab runs lists them all)`,
  ambiguousRun: (p: { target: string; count: number }): string =>
    `'${p.target}' names ${p.count} runs; give more of the run id (semlab runs lists them)`,
  epochNotInRun: (p: { runId: string; messages: number; epoch: number }): string =>
    `--epoch: run ${p.runId} has epochs 1 to ${p.messages}; ${p.epoch} is not one of them`,
  // Kafka's replica views: a module of their own (./replicas-en.ts).
  replicas: replicasEn,
  // `semlab kafka describe RUN` of a run over another transport.
  notKafkaRun: (p: { runId: string; transport: string }): string =>
    `run ${p.runId} ran over ${p.transport}, not Kafka; semlab kafka describe needs a Kafka run (or no run: every semlab topic)`,
  // A run whose journals a bench-only build discarded (src/bench/discard-journal.ts).
  journalsDiscarded: (p: { runDir: string }): string =>
    `this run's journals were discarded by a bench-only build, so it has no counts and no report; its folder is ${p.runDir}`,
};

/** Every language's catalog has the English catalog's shape: a missing key does not compile. */
export type Catalog = typeof en;
