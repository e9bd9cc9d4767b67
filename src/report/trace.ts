import type { JournalEvent } from '../core/journal.js';
import type { RunPlan } from '../core/run-plan.js';
import { PRESETS } from '../core/semantics.js';
import type { EffectRecord } from '../shared/records.js';
import { traceWordsEn, type TraceCauseFact, type TraceStepFact } from '../i18n/trace-words.js';

/**
 * The life of each message, told from the run's history: `semlab trace`. Like the checker, a pure
 * fold over journal events and effect records (in any order; each epoch's steps are sorted by
 * time at the end); unlike the checker it keeps every step of every epoch, so its memory follows
 * the run's length. It is meant for lesson-sized runs, or for one epoch (`only`).
 */

/**
 * Why an anomaly happened: a kind a script can test, the facts it quotes (which worker, which
 * attempt), and the sentence in English (the terminal says it in the reader's language, from the
 * facts: src/i18n/trace-words.ts).
 */
export type Cause = TraceCauseFact & { readonly text: string };

/**
 * One step of an epoch's life with its instant (src/report/history.ts eventInstant: virtual ms on
 * the virtual clock, wall ms since the run started otherwise) and, for a worker's step, the
 * incarnation whose journal holds it.
 */
export type TimedStep = TraceStepFact & {
  readonly at: number;
  readonly incarnation?: number;
  /** A crash: the index in the plan's faults of the crash spec that fired. */
  readonly fault?: number;
};

export interface EpochStory {
  readonly epoch: number;
  readonly outcome: 'ok' | 'lost' | 'duplicate';
  readonly executions: number;
  /** Present for lost and duplicated epochs. */
  readonly cause?: Cause;
  /** What happened, in time order, in English: "sent", "executed by w2", ... */
  readonly steps: readonly string[];
  /** The same steps as facts, each with its instant: what the diagrams draw. */
  readonly timeline: readonly TimedStep[];
}

/** Where an event came from: its instant, and its journal ("w2.1") when known. */
export interface EventPlace {
  readonly at: number;
  readonly journal?: string;
}

/** A worker incarnation's start, from the supervisor's journal. */
export interface WorkerStart {
  readonly worker: string;
  readonly incarnation: number;
  readonly at: number;
}

interface Step {
  /** Wall time: the order the journals hold, across processes. */
  readonly t: number;
  readonly step: TimedStep;
}

/** Everything about one epoch that the causes need. */
interface EpochFacts {
  steps: Step[];
  sends: number;
  executions: { t: number; at?: number; worker: string; attempt: number; incarnation?: number }[];
  receives: { t: number; at: number; worker: string; attempt: number; incarnation?: number }[];
  crashes: { t: number; worker: string; point: string; attempt: number }[];
  droppedWork: Set<number>;
  droppedAcks: Set<number>;
  delayedAcks: Map<number, number>;
  marks: { t: number; worker: string }[];
  skips: number;
  acked: boolean;
  /** Messages lost to a partition, as "work#1" / "ack#2" (direction, attempt), with the worker. */
  partitioned: Map<string, string>;
  /** Attempts whose work message the network delivered twice. */
  duplicatedWork: Set<number>;
  /** Acks workers sent, as "w1#2" (worker, attempt): did a zombie finish? */
  replies: Set<string>;
  /** --pause: workers frozen while they held an attempt of this epoch. */
  pauses: { worker: string; attempt: number; point: string; ms: number }[];
  /** --work-ms: how long each attempt took to handle. */
  workMs: Map<number, number>;
}

/** "w2.1" → 1; undefined for other journals. */
function incarnationOf(journal: string | undefined): number | undefined {
  const match = journal === undefined ? null : /\.(\d+)$/.exec(journal);
  return match ? Number(match[1]) : undefined;
}

export class Tracer {
  private readonly epochs = new Map<number, EpochFacts>();
  /** Workers killed with a key in the live view: they carry no epoch, so they are kept apart. */
  private readonly liveKills: { t: number; worker: string }[] = [];
  /** Every worker incarnation's start (a few per run): the diagrams draw restarts from them. */
  readonly workerStarts: WorkerStart[] = [];

  constructor(
    private readonly plan: Pick<
      RunPlan,
      'messages' | 'semantics' | 'timeoutMs' | 'store' | 'dedupeTtlMs' | 'workers'
    >,
    /** Keep the story of this epoch only. */
    private readonly only?: number,
  ) {}

  private facts(epoch: number): EpochFacts | undefined {
    if (this.only !== undefined && epoch !== this.only) return undefined;
    let facts = this.epochs.get(epoch);
    if (!facts) {
      facts = {
        steps: [],
        sends: 0,
        executions: [],
        receives: [],
        crashes: [],
        droppedWork: new Set(),
        droppedAcks: new Set(),
        delayedAcks: new Map(),
        marks: [],
        skips: 0,
        acked: false,
        workMs: new Map(),
        pauses: [],
        replies: new Set(),
        duplicatedWork: new Set(),
        partitioned: new Map(),
      };
      this.epochs.set(epoch, facts);
    }
    return facts;
  }

  /**
   * One journal event, with its instant and journal (history.ts timedEvents). Without a place
   * (unit tests, older callers) its instant is its wall time.
   */
  addEvent(event: JournalEvent, place: EventPlace = { at: event.t }): void {
    if (event.kind === 'live-crash') {
      this.liveKills.push({ t: event.t, worker: event.worker });
      return;
    }
    if (event.kind === 'worker-start') {
      this.workerStarts.push({
        worker: event.worker,
        incarnation: event.incarnation,
        at: place.at,
      });
      return;
    }
    if (!('epoch' in event)) return;
    const facts = this.facts(event.epoch);
    if (!facts) return;
    const incarnation = incarnationOf(place.journal);
    const where = incarnation === undefined ? {} : { incarnation };
    const step = (fact: TraceStepFact, extra: { fault?: number } = {}): void =>
      void facts.steps.push({ t: event.t, step: { ...fact, at: place.at, ...where, ...extra } });
    switch (event.kind) {
      case 'send':
        facts.sends++;
        step({ kind: 'send', attempt: event.attempt });
        break;
      case 'fault': {
        const live = event.live === true ? { live: true } : {};
        const ms = event.ms ?? 0;
        if (event.fault === 'partition') {
          const worker = event.worker ?? '?';
          facts.partitioned.set(`${event.direction}#${event.attempt}`, worker);
          if (event.direction === 'work') facts.droppedWork.add(event.attempt);
          step({ kind: 'partitioned', direction: event.direction, attempt: event.attempt, worker });
        } else if (event.fault === 'duplicate') {
          if (event.direction === 'work') facts.duplicatedWork.add(event.attempt);
          step({ kind: 'duplicated', direction: event.direction, attempt: event.attempt });
        } else if (event.fault === 'reorder') {
          step({ kind: 'reordered', direction: event.direction, attempt: event.attempt, ms });
        } else if (event.direction === 'work' && event.fault === 'drop') {
          facts.droppedWork.add(event.attempt);
          step({ kind: 'work-dropped', attempt: event.attempt, ...live });
        } else if (event.direction === 'work') {
          step({ kind: 'work-held', attempt: event.attempt, ms, ...live });
        } else if (event.fault === 'drop') {
          facts.droppedAcks.add(event.attempt);
          step({ kind: 'ack-dropped', attempt: event.attempt, ...live });
        } else {
          facts.delayedAcks.set(event.attempt, ms);
          step({ kind: 'ack-held', attempt: event.attempt, ms, ...live });
        }
        break;
      }
      case 'receive':
        facts.receives.push({
          t: event.t,
          at: place.at,
          worker: event.worker,
          attempt: event.attempt,
          ...where,
        });
        step({ kind: 'receive', worker: event.worker, attempt: event.attempt });
        break;
      case 'execute':
        this.execute(facts, event, { ...place, ...where });
        break;
      case 'skip':
        facts.skips++;
        step({ kind: 'skip', worker: event.worker, attempt: event.attempt });
        break;
      case 'mark':
        facts.marks.push({ t: event.t, worker: event.worker });
        step({ kind: 'mark', worker: event.worker, attempt: event.attempt });
        break;
      case 'crash':
        facts.crashes.push({
          t: event.t,
          worker: event.worker,
          point: event.point,
          attempt: event.attempt,
        });
        step(
          { kind: 'crash', worker: event.worker, attempt: event.attempt, point: event.point },
          event.fault === undefined ? {} : { fault: event.fault },
        );
        break;
      case 'reply':
        facts.replies.add(`${event.worker}#${event.attempt}`);
        step({ kind: 'reply', worker: event.worker, attempt: event.attempt });
        break;
      case 'pause':
        facts.pauses.push({
          worker: event.worker,
          attempt: event.attempt,
          point: event.point,
          ms: event.ms,
        });
        step({
          kind: 'paused',
          worker: event.worker,
          attempt: event.attempt,
          point: event.point,
          ms: event.ms,
        });
        break;
      case 'work':
        facts.workMs.set(event.attempt, event.ms);
        step({ kind: 'work-time', worker: event.worker, attempt: event.attempt, ms: event.ms });
        break;
      case 'ack':
        facts.acked = true;
        step({ kind: 'ack', worker: event.worker, attempt: event.attempt });
        break;
      case 'timeout':
        step({ kind: 'timeout', attempt: event.attempt, retry: event.retry });
        break;
    }
  }

  /**
   * An effect the store or the transport recorded itself (the atomic preset). `at`: its instant
   * when the caller knows it (the real clock); else the instant of its worker's receipt of that
   * attempt, which on the virtual clock is exact (work takes no virtual time).
   */
  addEffect(effect: EffectRecord, at?: number): void {
    const facts = this.facts(effect.epoch);
    if (facts) this.execute(facts, effect, at === undefined ? undefined : { at });
  }

  private execute(
    facts: EpochFacts,
    e: { t: number; worker: string; attempt: number },
    place: { at: number; incarnation?: number } | undefined,
  ): void {
    facts.executions.push({
      t: e.t,
      worker: e.worker,
      attempt: e.attempt,
      ...(place?.at === undefined ? {} : { at: place.at }),
      ...(place?.incarnation === undefined ? {} : { incarnation: place.incarnation }),
    });
  }

  /** The first live kill of `worker` in [from, to]. */
  private liveKillOf(worker: string, from: number, to: number) {
    return this.liveKills.find((k) => k.worker === worker && k.t >= from && k.t <= to);
  }

  /** Every epoch 1..messages (or the one asked for), with its outcome, cause and steps. */
  *stories(): Generator<EpochStory> {
    const first = this.only ?? 1;
    const last = this.only ?? this.plan.messages;
    for (let epoch = first; epoch <= last; epoch++) {
      const facts = this.epochs.get(epoch) ?? this.facts(epoch);
      if (!facts) continue;
      yield this.story(epoch, facts);
    }
  }

  private story(epoch: number, facts: EpochFacts): EpochStory {
    const executions = [...facts.executions].sort((a, b) => a.t - b.t);
    const steps: Step[] = [...facts.steps];
    executions.forEach((e, i) => {
      // A store's own effect: its worker's receipt of that attempt tells where and when.
      const receipt = facts.receives.find(
        (r) => r.worker === e.worker && r.attempt === e.attempt && r.t <= e.t,
      );
      const incarnation = e.incarnation ?? receipt?.incarnation;
      steps.push({
        t: e.t,
        step: {
          kind: 'execute',
          worker: e.worker,
          attempt: e.attempt,
          again: i > 0,
          at: e.at ?? receipt?.at ?? e.t,
          ...(incarnation === undefined ? {} : { incarnation }),
        },
      });
    });
    // Stable sort: events of one instant keep the order they were journalled in.
    steps.sort((a, b) => a.t - b.t);
    const outcome = executions.length === 0 ? 'lost' : executions.length > 1 ? 'duplicate' : 'ok';
    const fact =
      outcome === 'lost'
        ? this.whyLost(facts)
        : outcome === 'duplicate'
          ? this.whyTwice(facts, executions)
          : undefined;
    const timeline = steps.map((s) => s.step);
    return {
      epoch,
      outcome,
      executions: executions.length,
      ...(fact ? { cause: { ...fact, text: traceWordsEn.cause(fact) } } : {}),
      steps: timeline.map((step) => traceWordsEn.step(step)),
      timeline,
    };
  }

  private whyLost(facts: EpochFacts): TraceCauseFact {
    const neverResent = !PRESETS[this.plan.semantics].retries;
    if (facts.receives.length === 0) {
      const cut = facts.partitioned.get(`work#${facts.sends}`);
      if (facts.sends > 0 && facts.droppedWork.size >= facts.sends && cut) {
        return {
          kind: 'partitioned',
          worker: cut,
          lostWork: true,
          attempt: facts.sends,
          neverResent,
        };
      }
      if (facts.sends > 0 && facts.droppedWork.size >= facts.sends) {
        return { kind: 'work-dropped', sends: facts.sends, neverResent };
      }
      return { kind: 'never-received', neverResent };
    }
    const markedThenDied = facts.crashes.find((c) => c.point === 'after-mark');
    if (markedThenDied && facts.skips > 0) {
      return { kind: 'marked-then-died', worker: markedThenDied.worker };
    }
    const lastReceipt = facts.receives.at(-1);
    const killed = lastReceipt && this.liveKillOf(lastReceipt.worker, lastReceipt.t, Infinity);
    if (killed && facts.crashes.length === 0) {
      return { kind: 'killed-live', worker: killed.worker, neverResent };
    }
    const diedOnReceipt = facts.crashes.find((c) => c.point === 'after-receive');
    if (diedOnReceipt) {
      return { kind: 'died-after-receive', worker: diedOnReceipt.worker, neverResent };
    }
    if (neverResent) return { kind: 'taken-on-receipt', neverResent };
    return { kind: 'never-executed' };
  }

  private whyTwice(
    facts: EpochFacts,
    executions: readonly { t: number; worker: string; attempt: number }[],
  ): TraceCauseFact {
    const [first, second] = executions as [(typeof executions)[0], (typeof executions)[0]];
    // A frozen worker that ran it (before or after its pause): the zombie.
    const zombie = facts.pauses.find((p) =>
      executions.some((e) => e.worker === p.worker && e.attempt === p.attempt),
    );
    if (zombie) {
      const other = executions.find(
        (e) => e.worker !== zombie.worker || e.attempt !== zombie.attempt,
      );
      return {
        kind: 'zombie',
        worker: zombie.worker,
        point: zombie.point,
        ms: zombie.ms,
        timeoutMs: this.plan.timeoutMs,
        ...(other ? { second: other.worker } : {}),
        finished: facts.replies.has(`${zombie.worker}#${zombie.attempt}`),
      };
    }
    const crash = facts.crashes.find(
      (c) => c.worker === first.worker && c.t >= first.t && c.t <= second.t,
    );
    if (crash?.point === 'after-execute' && this.plan.semantics === 'exactly-once') {
      return { kind: 'dedupe-hole', worker: first.worker, second: second.worker };
    }
    const killed = this.liveKillOf(first.worker, first.t, second.t);
    if (!crash && killed) {
      return {
        kind: 'killed-live',
        worker: first.worker,
        second: second.worker,
        neverResent: false,
      };
    }
    if (crash) {
      return {
        kind: 'died-before-ack',
        worker: first.worker,
        second: second.worker,
        point: crash.point,
      };
    }
    if (second.attempt === first.attempt && facts.duplicatedWork.has(first.attempt)) {
      return {
        kind: 'network-duplicate',
        attempt: first.attempt,
        worker: first.worker,
        second: second.worker,
      };
    }
    if (second.attempt === first.attempt) {
      return { kind: 'redelivered', attempt: first.attempt, second: second.worker };
    }
    const dedupes =
      this.plan.semantics === 'exactly-once' || this.plan.semantics === 'at-most-once-execution';
    if (dedupes && this.plan.store === 'memory' && first.worker !== second.worker) {
      return { kind: 'per-worker-store', worker: first.worker, second: second.worker };
    }
    const ttl = this.plan.dedupeTtlMs;
    const mark = facts.marks[0];
    if (dedupes && ttl !== undefined && mark && second.t - mark.t >= ttl) {
      return { kind: 'mark-expired', ttlMs: ttl, second: second.worker };
    }
    const timeoutMs = this.plan.timeoutMs;
    const cutAck = facts.partitioned.get(`ack#${first.attempt}`);
    if (cutAck) {
      return {
        kind: 'partitioned',
        worker: cutAck,
        lostWork: false,
        attempt: first.attempt,
        neverResent: false,
      };
    }
    if (facts.droppedAcks.has(first.attempt)) {
      return { kind: 'ack-dropped', attempt: first.attempt, timeoutMs, second: second.worker };
    }
    const workMs = facts.workMs.get(first.attempt);
    if (workMs !== undefined && workMs >= timeoutMs) {
      return {
        kind: 'slow-work',
        worker: first.worker,
        attempt: first.attempt,
        ms: workMs,
        timeoutMs,
      };
    }
    const delay = facts.delayedAcks.get(first.attempt);
    if (delay !== undefined) {
      return { kind: 'ack-late', attempt: first.attempt, ms: delay, timeoutMs };
    }
    return { kind: 'retried', timeoutMs, second: second.worker };
  }
}
