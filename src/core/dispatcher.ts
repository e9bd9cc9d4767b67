import type { DispatcherLink } from '../transports/contract.js';
import { Fifo, InFlight } from './in-flight.js';
import type { DispatchOutcome, Progress } from './ipc.js';
import type { Journal } from './journal.js';
import type { RunPlan } from './run-plan.js';
import { PRESETS } from './semantics.js';

/**
 * The dispatcher, as in the slides: three loops that share the list of messages to send and the
 * list of messages sent.
 *
 *   dispatcher_thread  → dispatchLoop: take the next message, send it, remember it as in flight;
 *   reciever_thread    → receiveAcksLoop: an ack settles its message;
 *   comparer_thread    → requeueTimedOutLoop: a message whose ack is overdue goes back on the list
 *                        to send (or, for at-most-once, is given up).
 *
 * Differences from the slide, each for a reason: fresh epochs are numbered on demand instead of
 * preloaded (memory follows the window, not the run); at most `window` epochs are in flight; and
 * a watchdog ends the run with a diagnosis when no epoch settles for far longer than any timeout,
 * fault or restart explains (ZeroMQ can stall silently; a fault may drop every ack).
 */
export class Dispatcher {
  private readonly retries: boolean;
  private readonly inFlight: InFlight;
  /** Epochs whose ack timed out, waiting to be sent again (the slide's `msgs.append(msg)`). */
  private readonly resendQueue = new Fifo<number>();
  private nextFreshEpoch = 1;
  private counts = { sent: 0, acked: 0, settled: 0 };
  private lastMovementAt = 0;
  private stalled: string | undefined;
  /** Dispatching held by a key in the live view: nothing is sent, the watchdog waits too. */
  private paused = false;
  private wakeDispatchLoop: (() => void) | undefined;
  private announceFinished: () => void = () => undefined;
  /** Resolves when every epoch is settled or the watchdog gave up; a blocked send cannot hold it. */
  private readonly finishedSignal = new Promise<void>(
    (resolve) => (this.announceFinished = resolve),
  );

  constructor(
    private readonly plan: RunPlan,
    private readonly link: DispatcherLink,
    private readonly journal: Journal,
    private readonly onProgress: (progress: Progress) => void = () => undefined,
    /** The transport redelivers by itself (Redis streams): then the dispatcher never resends. */
    private readonly transportRedelivers = false,
  ) {
    this.retries = PRESETS[plan.semantics].retries && !transportRedelivers;
    this.inFlight = new InFlight(plan.timeoutMs);
  }

  async run(): Promise<DispatchOutcome> {
    const startedAt = performance.now();
    this.lastMovementAt = startedAt;
    const acks = this.receiveAcksLoop();
    const ticker = setInterval(() => this.requeueTimedOutLoop(), this.tickMs());
    try {
      await Promise.race([this.dispatchLoop(), this.finishedSignal]);
    } finally {
      clearInterval(ticker);
    }
    const durationMs = performance.now() - startedAt;
    this.onProgress(this.progress());
    await this.link.close();
    await acks;
    return {
      status: this.stalled ? 'stalled' : 'completed',
      ...(this.stalled ? { diagnosis: this.stalled } : {}),
      durationMs: Math.round(durationMs * 1000) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  }

  private get finished(): boolean {
    return this.counts.settled >= this.plan.messages || this.stalled !== undefined;
  }

  /** Loop 1: send what is due, within the window, until every epoch is settled. */
  private async dispatchLoop(): Promise<void> {
    while (!this.finished) {
      const epoch = this.nextEpochToSend();
      if (epoch === undefined) {
        await new Promise<void>((resolve) => (this.wakeDispatchLoop = resolve));
        continue;
      }
      const attempt = this.inFlight.sent(epoch, performance.now());
      this.journal.append({ kind: 'send', epoch, attempt });
      this.counts.sent++;
      try {
        await this.link.send({ epoch, attempt });
      } catch (error) {
        if (this.finished) return;
        throw error;
      }
    }
  }

  /** Live view: hold (or resume) sending. What is in flight still times out and settles. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.lastMovementAt = performance.now();
    this.wake();
  }

  private nextEpochToSend(): number | undefined {
    if (this.paused) return undefined;
    for (
      let epoch = this.resendQueue.shift();
      epoch !== undefined;
      epoch = this.resendQueue.shift()
    ) {
      // An ack may have arrived (late) since the epoch was queued for resending.
      if (this.inFlight.isOpen(epoch)) return epoch;
    }
    if (this.nextFreshEpoch <= this.plan.messages && this.inFlight.size < this.plan.window) {
      return this.nextFreshEpoch++;
    }
    return undefined;
  }

  /** Loop 2: every ack that reaches the dispatcher settles its epoch. */
  private async receiveAcksLoop(): Promise<void> {
    for await (const ack of this.link.acks()) {
      this.journal.append({
        kind: 'ack',
        epoch: ack.epoch,
        attempt: ack.attempt,
        worker: ack.worker,
      });
      if (this.inFlight.settle(ack.epoch)) {
        this.counts.acked++;
        this.settleOne();
      }
    }
  }

  /** Loop 3, on a timer: what timed out is resent (or given up, without retries); plus the watchdog. */
  private requeueTimedOutLoop(): void {
    const now = performance.now();
    const overdue: number[] = [];
    for (const { epoch, attempt } of this.inFlight.expired(now)) {
      this.journal.append({ kind: 'timeout', epoch, attempt, retry: this.retries });
      if (this.retries) this.resendQueue.push(epoch);
      else overdue.push(epoch);
    }
    if (overdue.length > 0 && this.transportRedelivers)
      void this.giveUpOnceTransportIsIdle(overdue);
    else for (const epoch of overdue) this.giveUp(epoch);
    this.wake();
    this.onProgress(this.progress());
    // A paused run is not stalled: it waits for a person.
    if (this.paused) this.lastMovementAt = now;
    if (!this.finished && now - this.lastMovementAt > this.stallLimitMs()) {
      this.stalled =
        `no message was acked or given up for ${Math.round((now - this.lastMovementAt) / 1000)} s ` +
        `with ${this.inFlight.size} in flight, ${this.counts.sent} sends and ${this.counts.settled} of ` +
        `${this.plan.messages} settled; the transport stopped moving (no worker connected, the link ` +
        `hung, or the faults drop every ack)`;
      this.wake();
    }
  }

  private giveUp(epoch: number): void {
    if (this.inFlight.settle(epoch)) this.settleOne();
  }

  /**
   * With a transport that redelivers, an overdue epoch may still be waiting in it, or be held by a
   * slow worker: it is given up only once the transport holds nothing; otherwise it gets another
   * timeout. So a loaded machine delays the end of a run, never miscounts it.
   */
  private async giveUpOnceTransportIsIdle(overdue: readonly number[]): Promise<void> {
    const idle = await this.link.holdsNothing?.().catch(() => false);
    for (const epoch of overdue) {
      if (idle) this.giveUp(epoch);
      else this.inFlight.rearm(epoch, performance.now());
    }
  }

  private settleOne(): void {
    this.counts.settled++;
    this.lastMovementAt = performance.now();
    this.wake();
  }

  private wake(): void {
    if (this.finished) this.announceFinished();
    const wake = this.wakeDispatchLoop;
    this.wakeDispatchLoop = undefined;
    wake?.();
  }

  private progress(): Progress {
    return { ...this.counts, inFlight: this.inFlight.size };
  }

  /** Ticks often enough to resend promptly, rarely enough to cost nothing. */
  private tickMs(): number {
    return Math.max(5, Math.min(50, Math.floor(this.plan.timeoutMs / 4)));
  }

  /** Nothing moving for longer than any fault, restart or timeout explains means a stall. */
  private stallLimitMs(): number {
    let longestFault = 0;
    for (const fault of this.plan.faults) {
      if (fault.type === 'delay') longestFault = Math.max(longestFault, fault.ms);
      if (fault.type === 'crash') longestFault = Math.max(longestFault, fault.restartMs ?? 0);
    }
    // 15 s of floor: restarted workers on a loaded two-core machine can take seconds to start.
    return Math.max(8 * this.plan.timeoutMs, 15_000) + longestFault + this.plan.restartDelayMs;
  }
}
