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
 * that yields the counts of design.md section 2 and the verdict. It does no I/O; ./history.ts feeds
 * it from the run folder. Memory is a few bytes per epoch, whatever the number of events.
 */
export interface Verdict {
  /** The preset's promise in words, e.g. "never lost; may repeat". */
  readonly promise: string;
  readonly held: boolean;
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

export interface Counts {
  readonly messages: number;
  readonly sent: number;
  readonly retries: number;
  readonly delivered: number;
  readonly duplicateDeliveries: number;
  readonly executed: number;
  readonly duplicateExecutions: number;
  readonly acked: number;
  readonly lost: number;
  readonly verdict: Verdict;
  readonly faults: FaultReport[];
  /** Worker deaths that no injected crash explains (for example `kill -9` from outside). */
  readonly externalKills: number;
  readonly perWorker: WorkerCounts[];
  /** executed = messages − lost + duplicateExecutions; false means the history is inconsistent. */
  readonly identityHolds: boolean;
}

type MutableWorkerCounts = { -readonly [K in keyof WorkerCounts]: WorkerCounts[K] };

export class Checker {
  private readonly firstSent: Uint8Array;
  private readonly received: Uint8Array;
  private readonly executions: Uint16Array;
  private readonly ackedEpochs: Uint8Array;
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

  constructor(
    private readonly plan: Pick<RunPlan, 'messages' | 'semantics' | 'faults' | 'workers' | 'kafka'>,
  ) {
    const size = plan.messages + 1;
    this.firstSent = new Uint8Array(size);
    this.received = new Uint8Array(size);
    this.executions = new Uint16Array(size);
    this.ackedEpochs = new Uint8Array(size);
    this.faultCounts = plan.faults.map(() => 0);
    for (let i = 1; i <= plan.workers; i++) this.worker(`w${i}`);
  }

  addEvent(event: JournalEvent): void {
    switch (event.kind) {
      case 'send':
        this.sent++;
        this.firstSent[this.epochIndex(event.epoch)] = 1;
        break;
      case 'ack':
        this.ackedEpochs[this.epochIndex(event.epoch)] = 1;
        break;
      case 'receive':
        this.delivered++;
        this.received[this.epochIndex(event.epoch)] = 1;
        this.worker(event.worker).delivered++;
        break;
      case 'execute':
        this.addEffect(event);
        break;
      case 'skip':
        this.worker(event.worker).skipped++;
        break;
      case 'reply':
        this.worker(event.worker).acksSent++;
        break;
      case 'crash':
        this.worker(event.worker).crashes++;
        this.countFault((f) => f.type === 'crash' && f.point === event.point);
        break;
      case 'fault':
        if (event.live) {
          const which = liveSwitchOf(event);
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
            f.direction === event.direction &&
            (f.type !== 'delay' || f.ms === event.ms),
        );
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
      case 'live-crash':
        // A death with a cause: counted as a crash, not as a kill from outside.
        this.worker(event.worker).crashes++;
        this.live.set('crash-worker', (this.live.get('crash-worker') ?? 0) + 1);
        break;
      default:
        break;
    }
  }

  addEffect(effect: EffectRecord): void {
    this.executed++;
    const index = this.epochIndex(effect.epoch);
    this.executions[index] = Math.min(0xffff, (this.executions[index] ?? 0) + 1);
    this.worker(effect.worker).executed++;
  }

  result(): Counts {
    const messages = this.plan.messages;
    let firstSends = 0;
    let distinctReceived = 0;
    let distinctExecuted = 0;
    let acked = 0;
    for (let epoch = 1; epoch <= messages; epoch++) {
      firstSends += this.firstSent[epoch] ?? 0;
      distinctReceived += this.received[epoch] ?? 0;
      if ((this.executions[epoch] ?? 0) > 0) distinctExecuted++;
      acked += this.ackedEpochs[epoch] ?? 0;
    }
    const lost = messages - distinctExecuted;
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
      verdict: verdictFor(this.plan.semantics, lost, duplicateExecutions),
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
      identityHolds: this.executed === messages - lost + duplicateExecutions,
    };
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

  private epochIndex(epoch: number): number {
    if (!Number.isInteger(epoch) || epoch < 1 || epoch > this.plan.messages) {
      throw new Error(`the history names epoch ${epoch}, outside 1..${this.plan.messages}`);
    }
    return epoch;
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

/** Live actions in the order the report lists them. */
const LIVE_ACTIONS: readonly LiveAction[] = [...LIVE_SWITCHES, 'crash-worker'];

/** Did the preset keep its promise? Losses and duplicates it allows are results, not failures. */
export function verdictFor(semantics: SemanticsName, lost: number, duplicates: number): Verdict {
  const { promise } = PRESETS[semantics];
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
