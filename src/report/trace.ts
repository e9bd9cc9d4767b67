import type { JournalEvent } from '../core/journal.js';
import type { RunPlan } from '../core/run-plan.js';
import { PRESETS } from '../core/semantics.js';
import type { EffectRecord } from '../shared/records.js';

/**
 * The life of each message, told from the run's history: `semlab trace`. Like the checker, a pure
 * fold over journal events and effect records (in any order; each epoch's steps are sorted by
 * time at the end); unlike the checker it keeps every step of every epoch, so its memory follows
 * the run's length. It is meant for lesson-sized runs, or for one epoch (`only`).
 */

/** Why an anomaly happened, as a kind a script can test and a sentence a class can read. */
export interface Cause {
  readonly kind:
    | 'work-dropped'
    | 'died-after-receive'
    | 'marked-then-died'
    | 'taken-on-receipt'
    | 'never-received'
    | 'never-executed'
    | 'ack-dropped'
    | 'ack-late'
    | 'died-before-ack'
    | 'dedupe-hole'
    | 'per-worker-store'
    | 'mark-expired'
    | 'redelivered'
    | 'killed-live'
    | 'retried'
    | 'slow-work'
    | 'zombie'
    | 'network-duplicate'
    | 'partitioned';
  readonly text: string;
}

export interface EpochStory {
  readonly epoch: number;
  readonly outcome: 'ok' | 'lost' | 'duplicate';
  readonly executions: number;
  /** Present for lost and duplicated epochs. */
  readonly cause?: Cause;
  /** What happened, in time order: "sent (attempt 1)", "executed by w2", ... */
  readonly steps: readonly string[];
}

interface Step {
  readonly t: number;
  readonly text: string;
}

/** Everything about one epoch that the causes need. */
interface EpochFacts {
  steps: Step[];
  sends: number;
  executions: { t: number; worker: string; attempt: number }[];
  receives: { t: number; worker: string; attempt: number }[];
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

export class Tracer {
  private readonly epochs = new Map<number, EpochFacts>();
  /** Workers killed with a key in the live view: they carry no epoch, so they are kept apart. */
  private readonly liveKills: { t: number; worker: string }[] = [];

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

  addEvent(event: JournalEvent): void {
    if (event.kind === 'live-crash') {
      this.liveKills.push({ t: event.t, worker: event.worker });
      return;
    }
    if (!('epoch' in event)) return;
    const facts = this.facts(event.epoch);
    if (!facts) return;
    const step = (text: string): void => void facts.steps.push({ t: event.t, text });
    switch (event.kind) {
      case 'send':
        facts.sends++;
        step(event.attempt === 1 ? 'sent' : `sent again (attempt ${event.attempt})`);
        break;
      case 'fault':
        if (event.fault === 'partition') {
          facts.partitioned.set(`${event.direction}#${event.attempt}`, event.worker ?? '?');
          if (event.direction === 'work') facts.droppedWork.add(event.attempt);
          step(
            `${event.direction} of attempt ${event.attempt} lost: ${event.worker ?? '?'} is cut off from the dispatcher`,
          );
        } else if (event.fault === 'duplicate') {
          if (event.direction === 'work') facts.duplicatedWork.add(event.attempt);
          step(`${event.direction} of attempt ${event.attempt} duplicated by the network`);
        } else if (event.fault === 'reorder') {
          step(
            `${event.direction} of attempt ${event.attempt} held back ${event.ms ?? 0} ms: later messages overtake it`,
          );
        } else if (event.direction === 'work' && event.fault === 'drop') {
          facts.droppedWork.add(event.attempt);
          step(`work of attempt ${event.attempt} dropped by the network${liveMark(event)}`);
        } else if (event.direction === 'work') {
          step(`work of attempt ${event.attempt} held back ${event.ms ?? 0} ms${liveMark(event)}`);
        } else if (event.fault === 'drop') {
          facts.droppedAcks.add(event.attempt);
          step(`ack of attempt ${event.attempt} dropped by the network${liveMark(event)}`);
        } else {
          facts.delayedAcks.set(event.attempt, event.ms ?? 0);
          step(`ack of attempt ${event.attempt} held back ${event.ms ?? 0} ms${liveMark(event)}`);
        }
        break;
      case 'receive':
        facts.receives.push({ t: event.t, worker: event.worker, attempt: event.attempt });
        step(`received by ${event.worker} (attempt ${event.attempt})`);
        break;
      case 'execute':
        this.execute(facts, event);
        break;
      case 'skip':
        facts.skips++;
        step(`${event.worker} found it already executed: skipped`);
        break;
      case 'mark':
        facts.marks.push({ t: event.t, worker: event.worker });
        step(`marked executed by ${event.worker}`);
        break;
      case 'crash':
        facts.crashes.push({
          t: event.t,
          worker: event.worker,
          point: event.point,
          attempt: event.attempt,
        });
        step(`${event.worker} died (${event.point})`);
        break;
      case 'reply':
        facts.replies.add(`${event.worker}#${event.attempt}`);
        step(`${event.worker} sent its ack`);
        break;
      case 'pause':
        facts.pauses.push({
          worker: event.worker,
          attempt: event.attempt,
          point: event.point,
          ms: event.ms,
        });
        step(`${event.worker} frozen (SIGSTOP) ${event.point} for ${event.ms} ms`);
        break;
      case 'work':
        facts.workMs.set(event.attempt, event.ms);
        step(`${event.worker} works on it for ${event.ms} ms`);
        break;
      case 'ack':
        facts.acked = true;
        step(`ack of attempt ${event.attempt} reached the dispatcher`);
        break;
      case 'timeout':
        step(
          event.retry
            ? `no ack for attempt ${event.attempt} in time: sent again`
            : `no ack for attempt ${event.attempt} in time: given up`,
        );
        break;
    }
  }

  /** An effect the store or the transport recorded itself (the atomic preset). */
  addEffect(effect: EffectRecord): void {
    const facts = this.facts(effect.epoch);
    if (facts) this.execute(facts, effect);
  }

  private execute(facts: EpochFacts, e: { t: number; worker: string; attempt: number }): void {
    facts.executions.push({ t: e.t, worker: e.worker, attempt: e.attempt });
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
    executions.forEach((e, i) =>
      steps.push({
        t: e.t,
        text: i === 0 ? `executed by ${e.worker}` : `executed again by ${e.worker}: duplicate`,
      }),
    );
    // Stable sort: events of one instant keep the order they were journalled in.
    steps.sort((a, b) => a.t - b.t);
    const outcome = executions.length === 0 ? 'lost' : executions.length > 1 ? 'duplicate' : 'ok';
    const cause =
      outcome === 'lost'
        ? this.whyLost(facts)
        : outcome === 'duplicate'
          ? this.whyTwice(facts, executions)
          : undefined;
    return {
      epoch,
      outcome,
      executions: executions.length,
      ...(cause ? { cause } : {}),
      steps: steps.map((s) => s.text),
    };
  }

  private whyLost(facts: EpochFacts): Cause {
    const retries = PRESETS[this.plan.semantics].retries;
    const neverResent = retries ? '' : '; at-most-once never sends again';
    if (facts.receives.length === 0) {
      const cut = facts.partitioned.get(`work#${facts.sends}`);
      if (facts.sends > 0 && facts.droppedWork.size >= facts.sends && cut) {
        return {
          kind: 'partitioned',
          text: `sent into a partition: ${cut} was cut off from the dispatcher${neverResent}`,
        };
      }
      if (facts.sends > 0 && facts.droppedWork.size >= facts.sends) {
        return {
          kind: 'work-dropped',
          text: `the network dropped every send (${facts.sends})${neverResent}`,
        };
      }
      return {
        kind: 'never-received',
        text: `no worker ever received it (it died with a worker's queue, or a dropped send)${neverResent}`,
      };
    }
    const markedThenDied = facts.crashes.find((c) => c.point === 'after-mark');
    if (markedThenDied && facts.skips > 0) {
      return {
        kind: 'marked-then-died',
        text: `${markedThenDied.worker} marked it and died before executing; the retry found the mark and skipped it`,
      };
    }
    const lastReceipt = facts.receives.at(-1);
    const killed = lastReceipt && this.liveKillOf(lastReceipt.worker, lastReceipt.t, Infinity);
    if (killed && facts.crashes.length === 0) {
      return {
        kind: 'killed-live',
        text: `${killed.worker} was killed from the live view while it held it${neverResent}`,
      };
    }
    const diedOnReceipt = facts.crashes.find((c) => c.point === 'after-receive');
    if (diedOnReceipt) {
      return {
        kind: 'died-after-receive',
        text: `${diedOnReceipt.worker} died right after receiving it${neverResent}`,
      };
    }
    if (!retries) {
      return {
        kind: 'taken-on-receipt',
        text: `received, never executed: taken for good on receipt by a worker that then died${neverResent}`,
      };
    }
    return { kind: 'never-executed', text: 'received but never executed' };
  }

  private whyTwice(
    facts: EpochFacts,
    executions: readonly { t: number; worker: string; attempt: number }[],
  ): Cause {
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
        text: `${zombie.worker} was frozen ${zombie.point} for ${zombie.ms} ms, not dead; after ${this.plan.timeoutMs} ms the dispatcher sent it again${other ? ` and ${other.worker} ran it` : ''}${facts.replies.has(`${zombie.worker}#${zombie.attempt}`) ? ', and the zombie woke and finished its own' : '; the run ended before it woke'}`,
      };
    }
    const crash = facts.crashes.find(
      (c) => c.worker === first.worker && c.t >= first.t && c.t <= second.t,
    );
    if (crash?.point === 'after-execute' && this.plan.semantics === 'exactly-once') {
      return {
        kind: 'dedupe-hole',
        text: `${first.worker} died after executing it and before marking it (the hole); ${second.worker} ran it again`,
      };
    }
    const killed = this.liveKillOf(first.worker, first.t, second.t);
    if (!crash && killed) {
      return {
        kind: 'killed-live',
        text: `${first.worker} was killed from the live view after executing it, before its ack was seen; ${second.worker} ran it again`,
      };
    }
    if (crash) {
      return {
        kind: 'died-before-ack',
        text: `${first.worker} died after executing it, before its ack left (${crash.point}); ${second.worker} ran it again`,
      };
    }
    if (second.attempt === first.attempt && facts.duplicatedWork.has(first.attempt)) {
      return {
        kind: 'network-duplicate',
        text: `the network delivered attempt ${first.attempt} twice, without any retry; ${first.worker} and ${second.worker} both ran it`,
      };
    }
    if (second.attempt === first.attempt) {
      return {
        kind: 'redelivered',
        text: `the transport delivered attempt ${first.attempt} again (a dead consumer's records read again), and ${second.worker} ran it again`,
      };
    }
    const dedupes =
      this.plan.semantics === 'exactly-once' || this.plan.semantics === 'at-most-once-execution';
    if (dedupes && this.plan.store === 'memory' && first.worker !== second.worker) {
      return {
        kind: 'per-worker-store',
        text: `${first.worker} marked it in its own memory store; ${second.worker} never saw that mark and ran it again`,
      };
    }
    const ttl = this.plan.dedupeTtlMs;
    const mark = facts.marks[0];
    if (dedupes && ttl !== undefined && mark && second.t - mark.t >= ttl) {
      return {
        kind: 'mark-expired',
        text: `its dedupe mark expired (TTL ${ttl} ms) before the retry reached ${second.worker}`,
      };
    }
    const cutAck = facts.partitioned.get(`ack#${first.attempt}`);
    if (cutAck) {
      return {
        kind: 'partitioned',
        text: `${cutAck} was cut off from the dispatcher: its ack of attempt ${first.attempt} was lost in the partition, so it was sent and run again`,
      };
    }
    if (facts.droppedAcks.has(first.attempt)) {
      return {
        kind: 'ack-dropped',
        text: `the network dropped the ack of attempt ${first.attempt}; after ${this.plan.timeoutMs} ms the dispatcher sent it again and ${second.worker} ran it again`,
      };
    }
    const workMs = facts.workMs.get(first.attempt);
    if (workMs !== undefined && workMs >= this.plan.timeoutMs) {
      return {
        kind: 'slow-work',
        text: `${first.worker} took ${workMs} ms to handle attempt ${first.attempt}, past the ${this.plan.timeoutMs} ms timeout: slow work looks like a dead worker, so it was sent and run again`,
      };
    }
    const delay = facts.delayedAcks.get(first.attempt);
    if (delay !== undefined) {
      return {
        kind: 'ack-late',
        text: `the ack of attempt ${first.attempt} was ${delay} ms late, past the ${this.plan.timeoutMs} ms timeout: a slow ack looks lost, so it was sent and run again`,
      };
    }
    return {
      kind: 'retried',
      text: `no ack within ${this.plan.timeoutMs} ms, so the dispatcher sent it again and ${second.worker} ran it again`,
    };
  }
}

function liveMark(entry: { live?: true }): string {
  return entry.live ? ' (live)' : '';
}
