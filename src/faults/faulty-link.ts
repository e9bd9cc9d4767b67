import type { Cancel, Clock } from '../clock/clock.js';
import { RealClock } from '../clock/real-clock.js';
import type { AckMessage, DispatcherLink, WorkMessage } from '../transports/contract.js';
import { AsyncQueue } from '../util/async-queue.js';
import { decideLink, LIVE_STREAM_BASE } from './decide.js';
import { decideExtra } from './network-extra.js';
import { partitionAt } from './partition.js';
import type { LiveFaults } from './live.js';
import type { Direction, FaultSpec } from './spec.js';

/** What the fault layer did to one message, as a journal entry. */
export interface FaultEntry {
  kind: 'fault';
  fault: 'drop' | 'delay' | 'duplicate' | 'reorder' | 'partition';
  direction: Direction;
  epoch: number;
  attempt: number;
  ms?: number;
  /** Injected by a live switch (a key in the live view), not by the run's own faults. */
  live?: true;
  /** The run's own faults: the index in the plan's fault list of the spec that fired. */
  spec?: number;
  /** A partition: the worker cut off. */
  worker?: string;
}

/** Where the fault layer records what it did (the dispatcher's journal). */
export interface FaultJournal {
  append(entry: FaultEntry): void;
  /** Writes what was appended; called before any work leaves (a duplicate, a late send). */
  commit?(): void;
}

/**
 * The one place where network faults happen: a wrapper around the dispatcher's end of any
 * transport. Work is dropped or held back before it reaches the transport; acks are dropped or held
 * back after the transport delivered them and before the dispatcher sees them. Both look, to the
 * dispatcher and to the workers, exactly like a lossy, slow network, and no transport knows about
 * them. Every decision is journalled, so a trace can explain each lost or repeated message.
 */
export class FaultyDispatcherLink implements DispatcherLink {
  private readonly pendingTimers = new Set<Cancel>();

  get journalsBeforeLeaving(): boolean {
    return this.inner.journalsBeforeLeaving === true;
  }

  constructor(
    private readonly inner: DispatcherLink,
    private readonly faults: readonly FaultSpec[],
    private readonly seed: number,
    private readonly journal: FaultJournal,
    /** Faults switched on and off during the run (the live view's keys), if any. */
    private readonly live?: LiveFaults,
    /** Delays are held on the run's clock: virtual milliseconds on the virtual clock. */
    private readonly clock: Clock = new RealClock(),
  ) {}

  /**
   * The run's own faults decide first; what they let pass, the live switches may still drop or
   * hold back. The journal entry says which of the two it was.
   */
  private decide(epoch: number, attempt: number, direction: Direction) {
    const planned = decideLink(this.faults, this.seed, epoch, attempt, direction);
    const liveFaults = this.live?.linkFaults();
    if (planned.action !== 'pass' || !liveFaults?.length) return { ...planned, live: false };
    const live = decideLink(liveFaults, this.seed, epoch, attempt, direction, LIVE_STREAM_BASE);
    return { ...live, live: live.action !== 'pass' };
  }

  /** Who fired: a live switch, or the spec at this index of the run's fault list. */
  private static origin(decision: { live: boolean; index?: number }): {
    live?: true;
    spec?: number;
  } {
    if (decision.live) return { live: true };
    return decision.index === undefined ? {} : { spec: decision.index };
  }

  async send(message: WorkMessage): Promise<void> {
    const decision = this.decide(message.epoch, message.attempt, 'work');
    if (decision.action === 'pass') return this.sendPassed(message);
    const { epoch, attempt } = message;
    const live = FaultyDispatcherLink.origin(decision);
    if (decision.action === 'drop') {
      this.journal.append({
        kind: 'fault',
        fault: 'drop',
        direction: 'work',
        epoch,
        attempt,
        ...live,
      });
      return;
    }
    this.journal.append({
      kind: 'fault',
      fault: 'delay',
      direction: 'work',
      epoch,
      attempt,
      ms: decision.ms,
      ...live,
    });
    this.later(decision.ms, () => void this.sendInner(message).catch(() => undefined));
  }

  /**
   * Work that neither a drop nor a delay took: the network may still send it twice, or hold it
   * back a little while the next ones overtake it (both journalled, with the spec that fired).
   */
  private sendPassed(message: WorkMessage): Promise<void> {
    const { epoch, attempt } = message;
    const extra = decideExtra(this.faults, this.seed, epoch, attempt, 'work');
    const twice = this.noteExtra(extra, 'work', epoch, attempt);
    const deliver = async (): Promise<void> => {
      await this.sendInner(message);
      if (twice) await this.sendInner(message);
    };
    if (!extra.reorder) return deliver();
    this.later(extra.reorder.ms, () => void deliver().catch(() => undefined));
    return Promise.resolve();
  }

  /** Journals a duplicate and a reorder that fired; true when the message goes out twice. */
  private noteExtra(
    extra: ReturnType<typeof decideExtra>,
    direction: Direction,
    epoch: number,
    attempt: number,
  ): boolean {
    if (extra.duplicate !== undefined) {
      this.journal.append({
        kind: 'fault',
        fault: 'duplicate',
        direction,
        epoch,
        attempt,
        spec: extra.duplicate,
      });
    }
    if (extra.reorder) {
      this.journal.append({
        kind: 'fault',
        fault: 'reorder',
        direction,
        epoch,
        attempt,
        ms: extra.reorder.ms,
        spec: extra.reorder.index,
      });
    }
    return extra.duplicate !== undefined;
  }

  acks(): AsyncIterable<AckMessage> {
    const out = new AsyncQueue<AckMessage>();
    void (async () => {
      try {
        for await (const ack of this.inner.acks()) {
          const { epoch, attempt } = ack;
          // A worker cut off from the dispatcher: its ack is lost on the way, whatever else.
          const cut = partitionAt(this.faults, ack.worker, 'ack', this.clock.now());
          if (cut >= 0 || this.live?.isCut(ack.worker)) {
            this.journal.append({
              kind: 'fault',
              fault: 'partition',
              direction: 'ack',
              epoch,
              attempt,
              ...(cut >= 0 ? { spec: cut } : { live: true as const }),
              worker: ack.worker,
            });
            continue;
          }
          const decision = this.decide(epoch, attempt, 'ack');
          const live = FaultyDispatcherLink.origin(decision);
          if (decision.action === 'pass') {
            const extra = decideExtra(this.faults, this.seed, epoch, attempt, 'ack');
            const twice = this.noteExtra(extra, 'ack', epoch, attempt);
            const deliver = (): void => {
              out.push(ack);
              if (twice) out.push(ack);
            };
            if (extra.reorder) this.later(extra.reorder.ms, deliver);
            else deliver();
          } else if (decision.action === 'drop') {
            this.journal.append({
              kind: 'fault',
              fault: 'drop',
              direction: 'ack',
              epoch,
              attempt,
              ...live,
            });
          } else {
            this.journal.append({
              kind: 'fault',
              fault: 'delay',
              direction: 'ack',
              epoch,
              attempt,
              ms: decision.ms,
              ...live,
            });
            this.later(decision.ms, () => out.push(ack));
          }
        }
        out.end();
      } catch (error) {
        out.end(error);
      }
    })();
    return out;
  }

  /** Every journal line so far reaches the file before the work it may explain leaves. */
  private sendInner(message: WorkMessage): Promise<void> {
    this.journal.commit?.();
    return this.inner.send(message);
  }

  holdsNothing(): Promise<boolean> {
    return this.inner.holdsNothing?.() ?? Promise.resolve(true);
  }

  waitForWorkers(count: number, timeoutMs: number): Promise<number> {
    return this.inner.waitForWorkers(count, timeoutMs);
  }

  async close(): Promise<void> {
    for (const cancel of this.pendingTimers) cancel();
    this.pendingTimers.clear();
    await this.inner.close();
  }

  private later(ms: number, action: () => void): void {
    const cancel = this.clock.after(ms, () => {
      this.pendingTimers.delete(cancel);
      action();
    });
    this.pendingTimers.add(cancel);
  }
}
