import type { CrashGate } from '../faults/crash-gate.js';
import { decideCrash, decidePause } from '../faults/decide.js';
import { decideWorkTime } from '../faults/work-time.js';
import type { CrashPoint, FaultSpec } from '../faults/spec.js';
import type { DedupeStore } from '../stores/contract.js';
import type { WorkerLink, WorkMessage } from '../transports/contract.js';
import type { Journal } from './journal.js';
import type { WorkerSteps } from './semantics.js';

export interface WorkerParts {
  readonly workerId: string;
  readonly steps: WorkerSteps;
  readonly faults: readonly FaultSpec[];
  readonly link: WorkerLink;
  /** Absent for presets that never consult it. */
  readonly store: DedupeStore | undefined;
  /** This process's journal, committed before every step another process can see. */
  readonly journal: Journal;
  /**
   * Take each message for good on receipt (at-most-once: no retries), so a transport that
   * redelivers never hands it out again. Otherwise the ack is that moment.
   */
  readonly releaseOnReceipt: boolean;
  /** Lets each scheduled crash fire once per epoch, across all workers. */
  readonly crashGate: CrashGate;
  /** Ends this process on the spot. Injected so the loop reads as protocol, not process control. */
  readonly die: () => never;
  /**
   * Runs on the virtual clock: set to each message's instant of receipt (`WorkMessage.at`), which
   * the journal and the store read as "now" while the worker handles that message.
   */
  readonly instant?: MessageInstant;
  /**
   * Steps from outside the presets (a student's worker program, src/core/external-worker/): called
   * with each message between receive and ack instead of the preset's steps, and given the same
   * journalled operations, crash points included, so its history reads like a built-in worker's.
   */
  readonly customSteps?: CustomSteps;
  /** The run's seed: work times (--work-ms) are drawn from it. */
  readonly seed?: number;
  /**
   * --pause: asks to be frozen for `ms` and resolves once thawed, with the virtual instant of the
   * thaw on the virtual clock. Absent: pause faults are not applied.
   */
  readonly pause?: (ms: number) => Promise<{ at?: number }>;
}

/**
 * The steps a worker may take between receive and ack, each journalled and followed by its crash
 * point exactly as in the presets: `execute` (then after-execute), `mark` and a successful
 * `markIfAbsent` (then after-mark), `executeOnce` (one transaction; then after-execute and
 * after-mark when it executed), `skip` (journals that the message was not executed here).
 */
export interface StepOps {
  execute(m: WorkMessage): Promise<void>;
  isMarked(m: WorkMessage): Promise<boolean>;
  mark(m: WorkMessage): Promise<void>;
  markIfAbsent(m: WorkMessage): Promise<boolean>;
  executeOnce(m: WorkMessage): Promise<boolean>;
  skip(m: WorkMessage): void;
}

/** Resolves when the message is ready to be acked; serveWork then crashes (before-ack) or acks. */
export type CustomSteps = (m: WorkMessage, ops: StepOps) => Promise<void>;

/** The virtual instant of the message in hand; wall time when the run is on the real clock. */
export class MessageInstant {
  at: number | undefined;

  /** For stores: the instant, or wall time. */
  readonly now = (): number => this.at ?? Date.now();
}

/**
 * The worker loop: receive → the preset's steps → ack, with a crash point between every two steps.
 * For exactly-once the steps read like the slide's main():
 *
 *   m = receber_workload()
 *   if ja_executada(m.epoch): return m.epoch
 *   work(m)
 *   marcar_executada(m.epoch)
 *   return m.epoch
 */
export async function serveWork(parts: WorkerParts): Promise<void> {
  const { workerId: worker, link, journal } = parts;
  const store = (): DedupeStore => {
    if (!parts.store) throw new Error(`steps '${parts.steps}' need a dedupe store`);
    return parts.store;
  };
  const crashPoint = (point: CrashPoint, m: WorkMessage): void => {
    const fault = decideCrash(parts.faults, point, m.epoch);
    if (!fault) return;
    if (!parts.crashGate.claim(m.epoch, point)) return;
    // Which spec fired: its restart delay applies (the supervisor reads it back), not the first
    // spec's with the same point.
    const index = parts.faults.indexOf(fault);
    journal.append({
      kind: 'crash',
      point,
      epoch: m.epoch,
      attempt: m.attempt,
      worker,
      fault: index,
    });
    journal.commit();
    parts.die();
  };
  /** --pause: frozen here, once per scheduled epoch (the gate), by the supervisor. */
  const pausePoint = async (point: CrashPoint, m: WorkMessage): Promise<void> => {
    const scheduled = decidePause(parts.faults, point, m.epoch);
    if (!scheduled || !parts.pause) return;
    if (!parts.crashGate.claim(m.epoch, `${point}.pause`)) return;
    const { fault, index } = scheduled;
    journal.append({
      kind: 'pause',
      point,
      epoch: m.epoch,
      attempt: m.attempt,
      worker,
      ms: fault.ms,
      fault: index,
    });
    journal.commit();
    const thawed = await parts.pause(fault.ms);
    // What the zombie does next happens at the thaw, in the run's time.
    if (parts.instant && thawed.at !== undefined) parts.instant.at = thawed.at;
  };
  /** Each point: a crash, if one is scheduled there; else a pause, if one is. */
  const point = async (at: CrashPoint, m: WorkMessage): Promise<void> => {
    crashPoint(at, m);
    await pausePoint(at, m);
  };
  const work = async (m: WorkMessage): Promise<void> => {
    journal.record(m.epoch, m.attempt, worker);
    await point('after-execute', m);
  };
  const markExecuted = async (m: WorkMessage): Promise<void> => {
    journal.append({ kind: 'mark', epoch: m.epoch, attempt: m.attempt, worker });
    await point('after-mark', m);
  };
  const skip = (m: WorkMessage): void => {
    journal.append({ kind: 'skip', epoch: m.epoch, attempt: m.attempt, worker });
  };

  /** Each preset's steps between receive and ack. */
  const steps: Record<WorkerSteps, (m: WorkMessage) => Promise<void>> = {
    async execute(m) {
      await work(m);
    },
    async 'check-execute-mark'(m) {
      if (await store().isMarked(m.epoch)) return skip(m);
      await work(m);
      journal.commit();
      await store().mark(m.epoch);
      await markExecuted(m);
    },
    async atomic(m) {
      // Check, effect and mark commit together; there is no instant between them to crash in.
      journal.commit();
      if (link.recordEffect) {
        // Kafka transactions: the effect commits with the consumed offset and the ack, in ack().
        await link.recordEffect(m, worker);
      } else if (!(await store().executeOnce(m.epoch, m.attempt, worker))) return skip(m);
      await point('after-execute', m);
      await markExecuted(m);
    },
    async 'mark-then-execute'(m) {
      journal.commit();
      if (!(await store().markIfAbsent(m.epoch))) return skip(m);
      await markExecuted(m);
      await work(m);
    },
  };
  // Whether the receipt must reach the file before the steps: when they await something another
  // process can see (a store, the transport's release). The plain 'execute' steps await nothing
  // real, so the receipt is written with the reply, one write(2) per message instead of two: a
  // kill in between loses only lines nobody else saw, which the counts then never had.
  // A student's program is another process: its steps always await something real.
  const commitOnReceipt =
    parts.customSteps !== undefined ||
    parts.steps !== 'execute' ||
    (parts.releaseOnReceipt && link.release !== undefined);
  const ops: StepOps = {
    async execute(m) {
      await work(m);
      journal.commit();
    },
    async isMarked(m) {
      journal.commit();
      return store().isMarked(m.epoch);
    },
    async mark(m) {
      journal.commit();
      await store().mark(m.epoch);
      await markExecuted(m);
      journal.commit();
    },
    async markIfAbsent(m) {
      journal.commit();
      if (!(await store().markIfAbsent(m.epoch))) return false;
      await markExecuted(m);
      journal.commit();
      return true;
    },
    async executeOnce(m) {
      journal.commit();
      if (link.recordEffect) await link.recordEffect(m, worker);
      else if (!(await store().executeOnce(m.epoch, m.attempt, worker))) return false;
      await point('after-execute', m);
      await markExecuted(m);
      journal.commit();
      return true;
    },
    skip(m) {
      skip(m);
      journal.commit();
    },
  };
  const custom = parts.customSteps;
  const handle = custom ? (m: WorkMessage) => custom(m, ops) : steps[parts.steps];

  /**
   * --work-ms: handling the delivery takes time. On the real clock the worker sleeps it (a kill
   * from the live view then lands in the middle of the work); on the virtual clock the virtual
   * network advances the run's time by it, and what the worker journals next is that much later.
   */
  const takeTime = async (m: WorkMessage): Promise<void> => {
    const time = decideWorkTime(parts.faults, parts.seed ?? 0, m.epoch, m.attempt);
    if (!time) return;
    journal.append({
      kind: 'work',
      epoch: m.epoch,
      attempt: m.attempt,
      worker,
      ms: time.ms,
      spec: time.index,
    });
    if (parts.instant) {
      journal.commit();
      parts.instant.at = (parts.instant.at ?? 0) + time.ms;
    } else if (time.ms > 0) {
      journal.commit();
      await new Promise((resolve) => setTimeout(resolve, time.ms));
    }
  };

  // The plain 'execute' steps with nothing scheduled in the worker (no crash, pause or work time),
  // over a link that hands out bursts: the lines of a whole burst (receive,
  // execute, reply for each message) reach the file with one write(2), and then its acks leave.
  // Every reply line is written before its ack; a kill before the write loses only lines nobody
  // else saw, as above, for messages that then count as lost in this worker's queue.
  const bursts = link.deliveryBursts?.bind(link);
  if (
    bursts &&
    !custom &&
    parts.steps === 'execute' &&
    !commitOnReceipt &&
    !parts.faults.some((f) => f.type === 'crash' || f.type === 'pause' || f.type === 'work')
  ) {
    const instant = parts.instant;
    for await (const burst of bursts()) {
      for (const { epoch, attempt, at } of burst) {
        // Virtual clock: each message's lines carry its own instant of receipt.
        if (instant) instant.at = at;
        journal.appendHandled(epoch, attempt, worker);
      }
      journal.commit();
      const acks = burst.map(({ epoch, attempt }) => ({ epoch, attempt, worker }));
      if (link.ackBurst) await link.ackBurst(acks);
      else for (const ack of acks) await link.ack(ack);
    }
    return;
  }

  for await (const m of link.deliveries()) {
    if (parts.instant) parts.instant.at = m.at;
    // Durable before anything is awaited: a worker killed while it waits for its store (or stopped
    // at the end of the run) had this message in hand, and `delivered` must count it.
    journal.appendStep('receive', m.epoch, m.attempt, worker);
    if (commitOnReceipt) journal.commit();
    if (parts.releaseOnReceipt && link.release) await link.release();
    await point('after-receive', m);
    await takeTime(m);
    await handle(m);
    await point('before-ack', m);
    journal.appendStep('reply', m.epoch, m.attempt, worker);
    journal.commit();
    await link.ack({ epoch: m.epoch, attempt: m.attempt, worker });
  }
}
