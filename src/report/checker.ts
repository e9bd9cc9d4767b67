import { liveSwitchOf } from '../faults/live.js';
import type { EffectRecord, JournalEvent } from '../core/journal.js';
import type { RunPlan } from '../core/run-plan.js';
import { PRESETS, type SemanticsName } from '../core/semantics.js';
import {
  LIVE_SWITCHES,
  type FaultSpec,
  type LiveAction,
  type ReportedFault,
} from '../faults/spec.js';

/**
 * The checker: a pure fold over the run's history (journal events and effect records, in any order)
 * that yields the counts of design.md section 2, the consistency checks and the verdict. It does no
 * I/O; ./history.ts feeds it from the run folder. Memory is a few bytes per epoch (about 7 with up
 * to 8 workers, one more per 8 workers beyond), whatever the number of events.
 */
export interface Verdict {
  /** The preset's promise in words, e.g. "never lost; may repeat". */
  readonly promise: string;
  /**
   * Whether the promise held. `null`: no verdict, because the run did not finish (some epochs are
   * unsettled) or its history is inconsistent (a bug in semlab, see `Counts.consistency`).
   */
  readonly held: boolean | null;
  /** Why, with the numbers: "3 duplicate executions: at-least-once allows this". */
  readonly reason: string;
}

export interface WorkerCounts {
  readonly worker: string;
  readonly delivered: number;
  readonly executed: number;
  /** Deliveries the dedupe store told it to skip. */
  readonly skipped: number;
  readonly acksSent: number;
  /** Crashes semlab injected into this worker. */
  readonly crashes: number;
  /** Deaths of any cause (injected or a kill from outside), each followed by a restart. */
  readonly deaths: number;
}

export type FaultReport = ReportedFault & { readonly injected: number };

/**
 * The facts any history semlab writes must satisfy, whatever the semantics and the faults. A
 * history that breaks one is a bug in semlab (or a damaged run folder), never a result of the
 * lesson; the names are part of the --json contract.
 */
export const CONSISTENCY_CHECKS = [
  /** An effect (ledger or store) for an epoch that no worker journalled receiving. */
  'effect-without-receipt',
  /** An ack from worker W for an epoch W never executed nor skipped (nor had the store apply). */
  'ack-without-execution',
  /** A worker incarnation's journal goes on after its injected crash. */
  'event-after-crash',
  /** An event or effect names an epoch outside 1..messages. */
  'epoch-out-of-range',
  /** The dispatcher journalled an ack of an attempt it never journalled sending. */
  'ack-without-send',
  /** exactly-once-atomic: the store (or Kafka's transactions) holds two effects of one epoch. */
  'atomic-double-effect',
] as const;
export type ConsistencyCheck = (typeof CONSISTENCY_CHECKS)[number];

export interface Violation {
  readonly check: ConsistencyCheck;
  /** The epoch that breaks it (for epoch-out-of-range, the value found, or null if not a number). */
  readonly epoch: number | null;
  readonly worker?: string;
  /** event-after-crash: which incarnation of the worker (its journal is <worker>.<incarnation>). */
  readonly incarnation?: number;
  /** In English, with the numbers. */
  readonly detail: string;
}

export interface Consistency {
  /** True when the history passed every check. */
  readonly ok: boolean;
  /** Every violation found. */
  readonly violationCount: number;
  /** The first MAX_VIOLATIONS_LISTED of them, by epoch. */
  readonly violations: Violation[];
}

/** A broken history can break a check a million times; the report lists this many. */
export const MAX_VIOLATIONS_LISTED = 20;

/** Where an event was read: its journal ("w2.0" for worker w2's first incarnation) and line. */
export interface EventOrigin {
  readonly journal: string;
  readonly line: number;
}

export interface Counts {
  readonly messages: number;
  readonly sent: number;
  readonly retries: number;
  readonly delivered: number;
  readonly duplicateDeliveries: number;
  readonly executed: number;
  readonly duplicateExecutions: number;
  readonly acked: number;
  /** Epochs settled (acked, or given up by the dispatcher) and never executed. */
  readonly lost: number;
  /** Epochs the dispatcher never settled: never sent, or sent and neither acked nor given up. */
  readonly unsettled: number;
  readonly verdict: Verdict;
  readonly faults: FaultReport[];
  /** Worker deaths that no injected crash explains (for example `kill -9` from outside). */
  readonly externalKills: number;
  readonly perWorker: WorkerCounts[];
  readonly consistency: Consistency;
  /** Deprecated alias of `consistency.ok`, kept because --json field names are a contract. */
  readonly identityHolds: boolean;
}

type MutableWorkerCounts = { -readonly [K in keyof WorkerCounts]: WorkerCounts[K] };

/** Bits of `Checker.flags`, one byte per epoch. */
const RECEIVED = 1;
const GIVEN_UP = 2;
const EXECUTED = 4;
const STORE_EFFECT = 8;
const STORE_EFFECT_TWICE = 16;

const MAX_ATTEMPT = 0xffff;

/**
 * A set of workers per epoch, as bits: a byte per epoch for up to 8 workers, two bytes up to 16,
 * four up to 32, eight up to 64 (the most a run can have).
 */
class WorkerSets {
  private readonly bits: number;
  private readonly words: number;
  private readonly sets: Uint8Array | Uint16Array | Uint32Array;

  constructor(epochs: number, workers: number) {
    this.bits = workers <= 8 ? 8 : workers <= 16 ? 16 : 32;
    this.words = Math.max(1, Math.ceil(workers / this.bits));
    const size = epochs * this.words;
    this.sets =
      this.bits === 8
        ? new Uint8Array(size)
        : this.bits === 16
          ? new Uint16Array(size)
          : new Uint32Array(size);
  }

  add(epoch: number, worker: number): void {
    const index = epoch * this.words + Math.floor(worker / this.bits);
    this.sets[index] = (this.sets[index] ?? 0) | (1 << (worker % this.bits));
  }

  /** The first worker in `this` but not in `other` for this epoch, or -1. */
  firstMissingFrom(other: WorkerSets, epoch: number): number {
    for (let word = 0; word < this.words; word++) {
      const index = epoch * this.words + word;
      const missing = (this.sets[index] ?? 0) & ~(other.sets[index] ?? 0);
      if (missing !== 0) return word * this.bits + (31 - Math.clz32(missing & -missing));
    }
    return -1;
  }
}

/** What the checker keeps of one journal file, for event-after-crash. */
interface JournalTail {
  lastLine: number;
  crashLine: number;
  crashEpoch: number;
  crashWorker: string;
}

type CheckerPlan = Pick<
  RunPlan,
  'messages' | 'semantics' | 'faults' | 'workers' | 'kafka' | 'dedupeTtlMs'
>;

export class Checker {
  /** Highest attempt sent (0: never sent) and highest attempt acked (0: never acked). */
  private readonly sentAttempts: Uint16Array;
  private readonly ackedAttempts: Uint16Array;
  private readonly flags: Uint8Array;
  /** Workers whose ack of the epoch reached the dispatcher, and workers that executed or skipped it. */
  private readonly ackedBy: WorkerSets;
  private readonly handledBy: WorkerSets;
  private sent = 0;
  private delivered = 0;
  private executed = 0;
  private readonly faultCounts: number[];
  private brokerCrashes = 0;
  /** Deaths nobody injected; undefined once a journal does not say (older runs). */
  private externalKills: number | undefined = 0;
  /** Live actions taken (a switch turned on at least once, or a worker killed), and their count. */
  private readonly live = new Map<LiveAction, number>();
  private readonly workers = new Map<string, MutableWorkerCounts>();
  private readonly tails = new Map<string, JournalTail>();
  /** Violations found as events arrive (epoch out of range, an ack from an unknown worker). */
  private readonly found: Violation[] = [];
  private foundCount = 0;
  /** Under exactly-once-atomic with marks that never expire, the store holds one effect per epoch. */
  private readonly storeIsOnceOnly: boolean;

  constructor(private readonly plan: CheckerPlan) {
    const size = plan.messages + 1;
    this.sentAttempts = new Uint16Array(size);
    this.ackedAttempts = new Uint16Array(size);
    this.flags = new Uint8Array(size);
    this.ackedBy = new WorkerSets(size, plan.workers);
    this.handledBy = new WorkerSets(size, plan.workers);
    this.faultCounts = plan.faults.map(() => 0);
    this.storeIsOnceOnly =
      plan.semantics === 'exactly-once-atomic' && plan.dedupeTtlMs === undefined;
    for (let i = 1; i <= plan.workers; i++) this.worker(`w${i}`);
  }

  /** `origin` (its journal and line) lets the checker see what follows a crash in its journal. */
  addEvent(event: JournalEvent, origin?: EventOrigin): void {
    if (origin) this.noteOrigin(event, origin);
    switch (event.kind) {
      case 'send': {
        const epoch = this.epochIndex(event.epoch, event.kind);
        if (epoch < 0) break;
        this.sent++;
        this.sentAttempts[epoch] = Math.max(
          this.sentAttempts[epoch] ?? 0,
          attemptOf(event.attempt),
        );
        break;
      }
      case 'ack':
        this.addAck(event);
        break;
      case 'timeout': {
        const epoch = this.epochIndex(event.epoch, event.kind);
        if (epoch >= 0 && !event.retry) this.setFlag(epoch, GIVEN_UP);
        break;
      }
      case 'receive': {
        const epoch = this.epochIndex(event.epoch, event.kind);
        if (epoch < 0) break;
        this.delivered++;
        this.setFlag(epoch, RECEIVED);
        this.worker(event.worker).delivered++;
        break;
      }
      case 'execute':
        this.countEffect(event, false);
        break;
      case 'skip': {
        const epoch = this.epochIndex(event.epoch, event.kind);
        if (epoch < 0) break;
        this.worker(event.worker).skipped++;
        this.handled(epoch, event.worker);
        break;
      }
      case 'mark':
        this.epochIndex(event.epoch, event.kind);
        break;
      case 'reply':
        if (this.epochIndex(event.epoch, event.kind) >= 0) this.worker(event.worker).acksSent++;
        break;
      case 'crash':
        this.epochIndex(event.epoch, event.kind);
        this.worker(event.worker).crashes++;
        // The crash names the spec that fired; older journals do not, and are matched by point.
        if (event.fault !== undefined && this.plan.faults[event.fault]?.type === 'crash') {
          this.faultCounts[event.fault] = (this.faultCounts[event.fault] ?? 0) + 1;
          break;
        }
        this.countFault((f) => f.type === 'crash' && f.point === event.point);
        break;
      case 'fault':
        if (event.live) {
          const which: LiveAction =
            event.fault === 'partition' ? 'cut-worker' : liveSwitchOf(event);
          this.live.set(which, (this.live.get(which) ?? 0) + 1);
          break;
        }
        // Journals name the spec that fired; older ones did not, and are matched by kind.
        if (event.spec !== undefined && this.plan.faults[event.spec]) {
          this.faultCounts[event.spec] = (this.faultCounts[event.spec] ?? 0) + 1;
          break;
        }
        this.countFault(
          (f) =>
            f.type === event.fault &&
            'direction' in f &&
            f.direction === event.direction &&
            (f.type !== 'delay' || f.ms === event.ms),
        );
        break;
      case 'pause':
        // --pause: a worker frozen at a point, credited to the spec that fired.
        this.epochIndex(event.epoch, event.kind);
        if (this.plan.faults[event.fault]?.type === 'pause')
          this.faultCounts[event.fault] = (this.faultCounts[event.fault] ?? 0) + 1;
        break;
      case 'work':
        // --work-ms: one delivery that took time, credited to the spec that set it.
        if (this.plan.faults[event.spec]?.type === 'work')
          this.faultCounts[event.spec] = (this.faultCounts[event.spec] ?? 0) + 1;
        break;
      case 'worker-exit':
        if (!event.expected) {
          this.worker(event.worker).deaths++;
          // Each death on its own: an injected crash whose exit lands during the stop must not
          // cancel out a real kill from outside.
          if (event.injected === undefined) this.externalKills = undefined;
          else if (!event.injected && this.externalKills !== undefined) this.externalKills++;
        }
        break;
      case 'broker-crash':
        this.brokerCrashes++;
        break;
      case 'live':
        // A link switch counts the messages it hit (its fault entries); a pause counts itself.
        this.live.set(
          event.switch,
          (this.live.get(event.switch) ?? 0) + (event.switch === 'pause' && event.on ? 1 : 0),
        );
        break;
      case 'worker-stop':
        // Frozen with the live view's key (a --pause counts as its spec, from the worker).
        if (event.live) this.live.set('freeze-worker', (this.live.get('freeze-worker') ?? 0) + 1);
        break;
      case 'live-crash':
        // A death with a cause: counted as a crash, not as a kill from outside.
        this.worker(event.worker).crashes++;
        this.live.set('crash-worker', (this.live.get('crash-worker') ?? 0) + 1);
        break;
      default:
        break;
    }
  }

  /** An effect the store or the transport recorded itself (the atomic preset's). */
  addEffect(effect: EffectRecord): void {
    this.countEffect(effect, true);
  }

  result(): Counts {
    const messages = this.plan.messages;
    let firstSends = 0;
    let distinctReceived = 0;
    let distinctExecuted = 0;
    let acked = 0;
    let lost = 0;
    let unsettled = 0;
    const violations = new Violations(this.found, this.foundCount);
    for (const [journal, tail] of this.tails) {
      if (tail.crashLine < 0 || tail.lastLine <= tail.crashLine) continue;
      const incarnation = /\.(\d+)$/.exec(journal)?.[1];
      violations.add({
        check: 'event-after-crash',
        epoch: tail.crashEpoch,
        worker: tail.crashWorker,
        ...(incarnation !== undefined ? { incarnation: Number(incarnation) } : {}),
        detail: `journal ${journal} goes on to line ${tail.lastLine + 1} after the crash at line ${tail.crashLine + 1}`,
      });
    }
    for (let epoch = 1; epoch <= messages; epoch++) {
      const flags = this.flags[epoch] ?? 0;
      const sentAttempt = this.sentAttempts[epoch] ?? 0;
      const ackedAttempt = this.ackedAttempts[epoch] ?? 0;
      if (sentAttempt > 0) firstSends++;
      if (flags & RECEIVED) distinctReceived++;
      if (flags & EXECUTED) distinctExecuted++;
      if (ackedAttempt > 0) acked++;
      const settled = ackedAttempt > 0 || (flags & GIVEN_UP) !== 0;
      if (!settled) unsettled++;
      else if (!(flags & EXECUTED)) lost++;
      this.checkEpoch(epoch, flags, sentAttempt, ackedAttempt, violations);
    }
    const consistency = violations.result();
    const duplicateExecutions = this.executed - distinctExecuted;
    const perWorker = [...this.workers.values()].sort((a, b) =>
      a.worker.localeCompare(b.worker, 'en', { numeric: true }),
    );
    const crashes = perWorker.reduce((sum, w) => sum + w.crashes, 0);
    const deaths = perWorker.reduce((sum, w) => sum + w.deaths, 0);
    return {
      messages,
      sent: this.sent,
      retries: this.sent - firstSends,
      delivered: this.delivered,
      duplicateDeliveries: this.delivered - distinctReceived,
      executed: this.executed,
      duplicateExecutions,
      acked,
      lost,
      unsettled,
      verdict: verdictFor(this.plan.semantics, lost, duplicateExecutions, {
        unsettled,
        inconsistent: !consistency.ok,
      }),
      faults: [
        ...this.plan.faults.map((fault, i) => ({
          ...fault,
          injected: this.faultCounts[i] ?? 0,
        })),
        ...this.brokerCrashReport(),
        ...LIVE_ACTIONS.filter((action) => this.live.has(action)).map((action) => ({
          type: 'live' as const,
          action,
          injected: this.live.get(action) ?? 0,
        })),
      ],
      externalKills: this.externalKills ?? Math.max(0, deaths - crashes),
      perWorker,
      consistency,
      identityHolds: consistency.ok,
    };
  }

  /** The checks that need the whole history of one epoch. */
  private checkEpoch(
    epoch: number,
    flags: number,
    sentAttempt: number,
    ackedAttempt: number,
    violations: Violations,
  ): void {
    if (flags & EXECUTED && !(flags & RECEIVED)) {
      violations.add({
        check: 'effect-without-receipt',
        epoch,
        detail: `epoch ${epoch} has an effect, but no worker journalled receiving it`,
      });
    }
    if (ackedAttempt > sentAttempt) {
      violations.add({
        check: 'ack-without-send',
        epoch,
        detail:
          sentAttempt === 0
            ? `the dispatcher journalled an ack of attempt ${ackedAttempt} of epoch ${epoch}, which it never sent`
            : `the dispatcher journalled an ack of attempt ${ackedAttempt} of epoch ${epoch}, but sent only ${sentAttempt} attempt${sentAttempt === 1 ? '' : 's'}`,
      });
    }
    const unhandled = this.ackedBy.firstMissingFrom(this.handledBy, epoch);
    if (unhandled >= 0) {
      const worker = `w${unhandled + 1}`;
      violations.add({
        check: 'ack-without-execution',
        epoch,
        worker,
        detail: `${worker} acked epoch ${epoch} but neither executed nor skipped it`,
      });
    }
    if (flags & STORE_EFFECT_TWICE && this.storeIsOnceOnly) {
      violations.add({
        check: 'atomic-double-effect',
        epoch,
        detail: `the store holds more than one effect of epoch ${epoch} under exactly-once-atomic`,
      });
    }
  }

  private addAck(event: Extract<JournalEvent, { kind: 'ack' }>): void {
    const epoch = this.epochIndex(event.epoch, event.kind);
    if (epoch < 0) return;
    const attempt = attemptOf(event.attempt);
    if (attempt === 0) {
      this.violation({
        check: 'ack-without-send',
        epoch,
        detail: `the dispatcher journalled an ack of epoch ${epoch} naming attempt ${String(event.attempt)}, which no send has`,
      });
    }
    this.ackedAttempts[epoch] = Math.max(this.ackedAttempts[epoch] ?? 0, attempt, 1);
    const worker = this.workerIndex(event.worker);
    if (worker < 0) {
      this.violation({
        check: 'ack-without-execution',
        epoch,
        worker: String(event.worker),
        detail: `an ack of epoch ${epoch} names worker '${String(event.worker)}', which is not one of w1..w${this.plan.workers}`,
      });
      return;
    }
    this.ackedBy.add(epoch, worker);
  }

  private countEffect(effect: EffectRecord, fromStore: boolean): void {
    const epoch = this.epochIndex(effect.epoch, fromStore ? undefined : 'execute');
    if (epoch < 0) return;
    this.executed++;
    let flags = (this.flags[epoch] ?? 0) | EXECUTED;
    if (fromStore) flags |= flags & STORE_EFFECT ? STORE_EFFECT_TWICE : STORE_EFFECT;
    this.flags[epoch] = flags;
    this.worker(effect.worker).executed++;
    this.handled(epoch, effect.worker);
  }

  private handled(epoch: number, worker: string): void {
    const index = this.workerIndex(worker);
    if (index >= 0) this.handledBy.add(epoch, index);
  }

  private setFlag(epoch: number, bit: number): void {
    this.flags[epoch] = (this.flags[epoch] ?? 0) | bit;
  }

  private noteOrigin(event: JournalEvent, origin: EventOrigin): void {
    let tail = this.tails.get(origin.journal);
    if (!tail) {
      tail = { lastLine: -1, crashLine: -1, crashEpoch: 0, crashWorker: '' };
      this.tails.set(origin.journal, tail);
    }
    tail.lastLine = Math.max(tail.lastLine, origin.line);
    if (event.kind === 'crash' && (tail.crashLine < 0 || origin.line < tail.crashLine)) {
      tail.crashLine = origin.line;
      tail.crashEpoch = event.epoch;
      tail.crashWorker = event.worker;
    }
  }

  /** --crash-broker is a Kafka setting, not a fault spec; the report lists it with the faults. */
  private brokerCrashReport(): FaultReport[] {
    const crash = this.plan.kafka?.crashBroker;
    if (!crash) return [];
    return [
      {
        type: 'crash-broker',
        target: 'leader',
        afterAcked: crash.afterAcked,
        restartMs: crash.restartMs,
        injected: this.brokerCrashes,
      },
    ];
  }

  /** The epoch as an index, or -1 (and a violation) when it is not one of 1..M. */
  private epochIndex(epoch: unknown, kind: string | undefined): number {
    if (typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 1) {
      if (epoch <= this.plan.messages) return epoch;
    }
    this.violation({
      check: 'epoch-out-of-range',
      epoch: typeof epoch === 'number' && Number.isFinite(epoch) ? epoch : null,
      detail: `${kind ? `a '${kind}' event` : 'an effect'} names epoch ${String(epoch)}, outside 1..${this.plan.messages}`,
    });
    return -1;
  }

  /** w1..wN as 0..N-1; -1 for a name the run does not have. */
  private workerIndex(worker: unknown): number {
    if (typeof worker !== 'string') return -1;
    const match = /^w([1-9]\d*)$/.exec(worker);
    const n = match ? Number(match[1]) : 0;
    return n >= 1 && n <= this.plan.workers ? n - 1 : -1;
  }

  private violation(violation: Violation): void {
    this.foundCount++;
    if (this.found.length < MAX_VIOLATIONS_LISTED) this.found.push(violation);
  }

  private worker(id: string): MutableWorkerCounts {
    let counts = this.workers.get(id);
    if (!counts) {
      counts = {
        worker: id,
        delivered: 0,
        executed: 0,
        skipped: 0,
        acksSent: 0,
        crashes: 0,
        deaths: 0,
      };
      this.workers.set(id, counts);
    }
    return counts;
  }

  private countFault(matches: (fault: FaultSpec) => boolean): void {
    const index = this.plan.faults.findIndex(matches);
    if (index >= 0) this.faultCounts[index] = (this.faultCounts[index] ?? 0) + 1;
  }
}

/** An attempt number as the checker stores it: 1..65535 (saturated), 0 when it is not one. */
function attemptOf(attempt: unknown): number {
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) return 0;
  return Math.min(MAX_ATTEMPT, attempt);
}

/** The violations of a run: all counted, the first few by epoch kept. */
class Violations {
  private readonly listed: Violation[];

  constructor(
    found: readonly Violation[],
    private count: number,
  ) {
    this.listed = [...found];
  }

  add(violation: Violation): void {
    this.count++;
    // The epoch loop adds in epoch order: the first few are the ones the report lists.
    if (this.listed.length < 3 * MAX_VIOLATIONS_LISTED) this.listed.push(violation);
  }

  result(): Consistency {
    const violations = this.listed
      .sort(
        (a, b) =>
          (a.epoch ?? -Infinity) - (b.epoch ?? -Infinity) ||
          a.check.localeCompare(b.check) ||
          (a.worker ?? '').localeCompare(b.worker ?? ''),
      )
      .slice(0, MAX_VIOLATIONS_LISTED);
    return { ok: this.count === 0, violationCount: this.count, violations };
  }
}

/** Live actions in the order the report lists them. */
const LIVE_ACTIONS: readonly LiveAction[] = [
  ...LIVE_SWITCHES,
  'crash-worker',
  'freeze-worker',
  'cut-worker',
];

/** Why a verdict is withheld: the run did not finish, or its history is inconsistent. */
export interface Withheld {
  /** Epochs the dispatcher never settled (a stalled or interrupted run). */
  readonly unsettled?: number;
  /** The run ended without finishing (stalled), whatever the unsettled count says. */
  readonly unfinished?: boolean;
  /** The history broke a consistency check: a bug in semlab. */
  readonly inconsistent?: boolean;
}

/**
 * Did the preset keep its promise? Losses and duplicates it allows are results, not failures. No
 * verdict (`held: null`) for a run that did not finish or whose history is inconsistent: its
 * counts say nothing about the semantics.
 */
export function verdictFor(
  semantics: SemanticsName,
  lost: number,
  duplicates: number,
  withheld: Withheld = {},
): Verdict {
  const { promise } = PRESETS[semantics];
  const unsettled = withheld.unsettled ?? 0;
  if (withheld.inconsistent) {
    return {
      promise: promise.text,
      held: null,
      reason: 'no verdict: the history is inconsistent, a bug in semlab',
    };
  }
  if (withheld.unfinished || unsettled > 0) {
    return {
      promise: promise.text,
      held: null,
      reason: `no verdict: the run did not finish${unsettled > 0 ? ` (${unsettled} epoch${unsettled === 1 ? '' : 's'} unsettled)` : ''}`,
    };
  }
  const broken: string[] = [];
  const allowed: string[] = [];
  if (lost > 0) (promise.noLoss ? broken : allowed).push(`${lost} lost`);
  if (duplicates > 0)
    (promise.noDuplicates ? broken : allowed).push(
      `${duplicates} duplicate execution${duplicates === 1 ? '' : 's'}`,
    );
  if (broken.length > 0) {
    const promised = [promise.noLoss ? 'never lost' : '', promise.noDuplicates ? 'never twice' : '']
      .filter(Boolean)
      .join(', ');
    return {
      promise: promise.text,
      held: false,
      reason: `${broken.join(' and ')}: ${semantics} promises ${promised}`,
    };
  }
  if (allowed.length > 0) {
    return {
      promise: promise.text,
      held: true,
      reason: `${allowed.join(' and ')}: ${semantics} allows this`,
    };
  }
  return { promise: promise.text, held: true, reason: 'nothing lost, nothing executed twice' };
}
