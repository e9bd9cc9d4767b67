import type { Clock } from '../clock/clock.js';
import { RealClock } from '../clock/real-clock.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { DispatcherLink, WorkMessage } from '../transports/contract.js';
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
 *
 * Time comes from the run's clock (src/clock/). On the real clock the comparer runs on a ticker.
 * On the virtual clock each send schedules its own timeout event, so a timeout fires at exactly
 * its virtual instant, and the watchdog watches the wall clock for real work that never ends
 * (a worker or server that stopped answering).
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
  private wakeScheduled = false;
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
    private readonly clock: Clock = new RealClock(),
  ) {
    this.retries = PRESETS[plan.semantics].retries && !transportRedelivers;
    this.inFlight = new InFlight(plan.timeoutMs);
  }

  async run(): Promise<DispatchOutcome> {
    const wallStartedAt = performance.now();
    const startedAt = this.clock.now();
    this.lastMovementAt = wallStartedAt;
    const acks = this.receiveAcksLoop();
    // Real clock: the comparer on a ticker. Virtual clock: timeouts are events of their own, and
    // the ticker only reports progress and watches for real work that never ends.
    const ticker = setInterval(
      () => (this.clock.kind === 'virtual' ? this.watchVirtual() : this.requeueTimedOutLoop()),
      this.clock.kind === 'virtual' ? 100 : this.tickMs(),
    );
    try {
      await Promise.race([this.dispatchLoop(), this.finishedSignal]);
    } finally {
      clearInterval(ticker);
    }
    const durationMs = performance.now() - wallStartedAt;
    const clockMs = this.clock.now() - startedAt;
    if (this.clock instanceof VirtualClock) this.clock.stop();
    this.onProgress(this.progress());
    await this.link.close();
    await acks;
    return {
      status: this.stalled ? 'stalled' : 'completed',
      ...(this.stalled ? { diagnosis: this.stalled } : {}),
      durationMs: Math.round(durationMs * 1000) / 1000,
      clock: this.clock.kind,
      ...(this.clock.kind === 'virtual' ? { virtualDurationMs: clockMs } : {}),
      maxRssKb: process.resourceUsage().maxRSS,
    };
  }

  private get finished(): boolean {
    return this.counts.settled >= this.plan.messages || this.stalled !== undefined;
  }

  /**
   * Loop 1: send what is due, within the window, until every epoch is settled. On the real clock
   * everything due goes out as one burst: its send lines reach the file with one write(2) before
   * the first of its messages leaves (a worker acts on a message at once). The virtual clock sends
   * one at a time, as its schedule expects.
   */
  private async dispatchLoop(): Promise<void> {
    const burst: WorkMessage[] = [];
    const most = this.clock.kind === 'virtual' ? 1 : Infinity;
    while (!this.finished) {
      for (
        let epoch = this.nextEpochToSend();
        epoch !== undefined;
        epoch = burst.length < most ? this.nextEpochToSend() : undefined
      ) {
        const attempt = this.inFlight.sent(epoch, this.clock.now());
        this.journal.appendStep('send', epoch, attempt);
        this.counts.sent++;
        if (this.clock.kind === 'virtual') this.scheduleTimeoutCheck();
        burst.push({ epoch, attempt });
      }
      if (burst.length === 0) {
        await new Promise<void>((resolve) => (this.wakeDispatchLoop = resolve));
        continue;
      }
      // The virtual network writes the journal itself before its batch of sends leaves.
      if (!this.link.journalsBeforeLeaving) this.journal.commit();
      try {
        for (const message of burst) await this.link.send(message);
      } catch (error) {
        if (this.finished) return;
        throw error;
      }
      burst.length = 0;
    }
  }

  /** The instant of the latest timeout check scheduled on the virtual clock. */
  private lastTimeoutCheckAt = -1;

  /**
   * Virtual clock: a check when this send's timeout falls due. Sends of one instant fall due
   * together, and the first check of an instant takes every send that expired then (later ones
   * would find nothing, as no ack or send can change a deadline already passed): one event per
   * instant, not one per send, so a run takes half as many clock steps.
   */
  private scheduleTimeoutCheck(): void {
    const due = this.clock.now() + this.inFlight.timeoutMs;
    if (due === this.lastTimeoutCheckAt) return;
    this.lastTimeoutCheckAt = due;
    this.clock.after(this.inFlight.timeoutMs, this.onTimeoutDue);
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
      this.journal.appendStep('ack', ack.epoch, ack.attempt, ack.worker);
      if (this.inFlight.settle(ack.epoch)) {
        this.counts.acked++;
        this.settleOne();
      }
    }
  }

  /** Loop 3, on a timer: what timed out is resent (or given up, without retries); plus the watchdog. */
  private requeueTimedOutLoop(): void {
    this.requeueTimedOut();
    const now = performance.now();
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

  /**
   * The virtual clock's timeout event, one function for every send: a closure per send would live
   * a whole timeout in the clock's queue and be promoted to V8's old generation, garbage there on
   * every send of the run (see InFlight).
   */
  private readonly onTimeoutDue = (): void => this.requeueTimedOut();

  /** What timed out by the clock's now is resent, or given up without retries. */
  private requeueTimedOut(): void {
    const overdue: number[] = [];
    for (const { epoch, attempt } of this.inFlight.expired(this.clock.now())) {
      this.journal.append({ kind: 'timeout', epoch, attempt, retry: this.retries });
      if (this.retries) this.resendQueue.push(epoch);
      else overdue.push(epoch);
    }
    if (overdue.length > 0 && this.transportRedelivers)
      void this.giveUpOnceTransportIsIdle(overdue);
    else for (const epoch of overdue) this.giveUp(epoch);
    this.wake();
    if (this.clock.kind === 'real') this.onProgress(this.progress());
  }

  /**
   * The virtual clock's watchdog, on the wall clock: real work (a message in a worker's hand, a
   * worker starting) that has held the run's time for far longer than any machine needs means a
   * process or a server stopped answering.
   */
  private watchVirtual(): void {
    this.onProgress(this.progress());
    const clock = this.clock;
    if (
      !(clock instanceof VirtualClock) ||
      this.finished ||
      this.paused ||
      clock.stillFor() <= VIRTUAL_STALL_MS
    )
      return;
    const held = clock.heldBy();
    const what =
      held.length > 0
        ? `waiting for ${held.slice(0, 3).join(', ')}${held.length > 3 ? ` and ${held.length - 3} more` : ''}`
        : 'nothing was scheduled and nothing was in progress';
    this.stalled =
      `the run's time stood still for ${Math.round(clock.stillFor() / 1000)} s, ${what}, with ` +
      `${this.counts.settled} of ${this.plan.messages} settled; a worker or the transport ` +
      `stopped answering`;
    this.wake();
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
      else this.inFlight.rearm(epoch, this.clock.now());
    }
  }

  private settleOne(): void {
    this.counts.settled++;
    this.lastMovementAt = performance.now();
    this.wake();
  }

  private wake(): void {
    if (this.finished) this.announceFinished();
    // Real clock: the loop wakes once the acks already received are all read, so what they freed
    // goes out as one burst (one journal write) instead of one write per ack.
    if (this.clock.kind === 'real' && !this.finished) {
      if (this.wakeDispatchLoop && !this.wakeScheduled) {
        this.wakeScheduled = true;
        setImmediate(() => {
          this.wakeScheduled = false;
          this.wakeNow();
        });
      }
      return;
    }
    this.wakeNow();
  }

  private wakeNow(): void {
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

/**
 * On the virtual clock, how long real work may hold the run's time before the run is declared
 * stalled: far beyond a worker's start on a loaded two-core machine.
 */
const VIRTUAL_STALL_MS = 15_000;
