import type { EventPlace, VirtualClock } from '../clock/virtual-clock.js';
import type {
  AckMessage,
  DispatcherLink,
  RoutedDispatcherLink,
  WorkMessage,
} from '../transports/contract.js';
import type { FaultSpec } from '../faults/spec.js';
import { AsyncQueue } from '../util/async-queue.js';
import { EpochTable, Fifo } from './in-flight.js';

/**
 * Virtual time for one hop of the network (dispatcher → worker, or worker → dispatcher). Work
 * itself takes no time, and neither does waiting in a worker's queue. So an ack arrives 2 ms after
 * its send unless a fault or a death intervened, and a run's virtual duration counts hops,
 * timeouts, delays and restarts: the lesson's time.
 */
export const VIRTUAL_HOP_MS = 1;

/**
 * Pipelined: handovers are given to the transport whenever the clock waits for answers, or once
 * this many are waiting (the run's window, up to this): what leaves for one worker at once travels
 * as one pack where the transport packs (ZeroMQ), and a batch wakes the transport's I/O thread
 * once. Measured on two cores (50,000 messages, 4 workers): with a window of 64, batches of 64
 * gave 53,000 msg/s against 50,000 for batches of 32; with a window of 100, 64,000 against 56,000
 * for 32. Smaller batches mean more, smaller packs; the workers are not kept waiting, since the
 * clock sends whatever is pending as soon as it would wait for them.
 */
export const MOST_SENDS_PER_BATCH = 256;

/**
 * Pipelined, at the end of a run: how long to wait for the workers to answer what was handed to
 * them (as long as the watchdog lets real work hold a run's time).
 */
const DRAIN_LIMIT_MS = 15_000;

/** What the virtual network asks of the supervisor, which owns the worker processes. */
export interface WorkerControl {
  /** Start this worker's next incarnation; `workerUp` follows once it is ready. */
  restart(worker: string): void;
  /** Kill this incarnation now (SIGKILL): a key pressed in the live view. */
  kill(worker: string, incarnation: number): void;
  /** --pause: continue this frozen incarnation (SIGCONT); `at` is the run's instant. */
  thaw?(worker: string, incarnation: number, at: number): void;
  /** The live view's freeze key: stop (on) or continue this idle incarnation. */
  freeze?(worker: string, incarnation: number, on: boolean): void;
}

type SlotState = 'up' | 'dead' | 'starting';

interface InHand {
  readonly message: WorkMessage;
  /** Order in which messages were handed to workers: the run's own, deterministic order. */
  readonly handover: number;
  readonly release: () => void;
  /**
   * --work-ms: the worker answered, and is still busy for the work's virtual time; this cancels
   * the ack's arrival (the worker dies before its ack leaves).
   */
  answered?: () => void;
}

interface WorkerSlot {
  readonly id: string;
  incarnation: number;
  state: SlotState;
  /** Messages routed to this worker and not yet handed over: its socket's queue, in effect. */
  readonly queue: Fifo<WorkMessage>;
  /** The message the worker has in hand (handed over, not answered), if any. */
  inHand: InHand | undefined;
  /** Held from the restart request until the new incarnation is reachable. */
  startHold: (() => void) | undefined;
  /**
   * --pause: stopped (SIGSTOP) with a message in hand. Not dead: its hand stays full, but the
   * clock is free, the epoch may be handed to another worker, and routing steers around it.
   */
  frozen?: boolean;
  /** Frozen from the live view (idle, at a quiet point), until the key is pressed again. */
  liveFrozen?: boolean;
  /** Pipelined: messages handed over and not yet answered, in the order the worker takes them. */
  readonly sent: Handed[];
  /** Pipelined: its handovers of the last step, while sequenceHandovers places them. */
  readonly stepHandovers: Handed[];
  /**
   * Pipelined: its death is known and it dies at the instant scheduled for it; until then it is up
   * for routing (the run cannot know yet), and what is routed to it waits in its queue, to die.
   */
  doomed?: boolean;
}

/** Pipelined: one message handed over, until its answer or its worker's death is known. */
interface Handed {
  readonly message: WorkMessage;
  readonly slot: WorkerSlot;
  /** The run's instant of the handover. */
  readonly handedAt: number;
  /** Its hold on the clock (`holdBounded`) has ended. */
  released: boolean;
  /** Its place among the events of its instant (VirtualClock.reserveSeq); set after its step. */
  seq?: number;
  /** A crash is scheduled for its epoch: its worker may die on it (see `mayCrash`). */
  readonly mayDie: boolean;
  /** Answered, or dead: it no longer bounds the horizon. */
  done?: boolean;
  /** What came back, once known: scheduled as soon as both this and `seq` are set. */
  outcome?: { ack: AckMessage } | { died: { incarnation: number; restartMs: number } };
}

/** Something real that happened while the clock was held, applied once it is free again. */
interface Arrival {
  /** Sorts arrivals of one instant into the run's order (not the order the machine delivered them). */
  readonly key: number;
  readonly apply: () => void;
}

/**
 * The network of a run on the virtual clock: the dispatcher's end of the link, between the fault
 * layer (above) and a routed transport link (below). It makes three things the run's, not the
 * machine's:
 *
 * - **Who gets a message.** Each send is routed round-robin over the workers that are up, in the
 *   fixed order w1, w2, …, and waits in that worker's queue, as in a DEALER's pipe to a REP. A
 *   worker has one message in hand at a time; the next is handed over when it has answered. A
 *   worker that dies takes the message in its hand and its queue with it, as a real one does.
 * - **When things happen.** Handing a message over holds the clock until the worker's ack comes
 *   back or the supervisor reports the worker dead. The ack then arrives two hops after the send
 *   in virtual time, and the worker takes the next message of its queue at once. So a timeout can
 *   only fire for an ack that was dropped, delayed past it, or died with its worker.
 * - **In what order.** Acks, deaths and restarts that arrive while the clock is held are applied
 *   when it is free, sorted by the order of the handovers they answer, so two workers finishing
 *   in the other order on a loaded machine change nothing.
 *
 * One hand-over per epoch at a time: a second attempt of an epoch whose earlier attempt is still
 * in some worker's hand waits for it, so two workers never race on one epoch's dedupe mark.
 */
export class VirtualNetwork implements DispatcherLink {
  private readonly slots: WorkerSlot[];
  private readonly out = new AsyncQueue<AckMessage>();
  /** Sends made while no worker was up: the first workers to come up take them, in order. */
  private readonly unrouted = new Fifo<WorkMessage>();
  private nextSlot = 0;
  private handovers = 0;
  /** Epochs in some worker's hand (a table of numbers: one add and delete per message). */
  private readonly epochsInHand = new EpochTable();
  private arrivals: Arrival[] = [];
  private arrivalsScheduled = false;
  private failure: ((error: Error) => void) | undefined;
  private closed = false;
  /** Pipelined: the handovers of the current step, in order, waiting for their places. */
  private unsequenced: Handed[] = [];
  /** Pipelined: acks taken as given at a crash (see workerDown); their real copy is dropped. */
  private readonly impliedAcks = new Set<string>();
  /** Pipelined, in the order of their places: handovers a worker may die on, and the others. */
  private readonly outMayDie = new Fifo<Handed>();
  private readonly outAcks = new Fifo<Handed>();

  constructor(
    private readonly inner: RoutedDispatcherLink,
    private readonly clock: VirtualClock,
    workers: number,
    private readonly control: WorkerControl,
    /** --work-ms: the virtual time a worker takes to handle this attempt (0: instant). */
    private readonly workMs: (epoch: number, attempt: number) => number = () => 0,
    /**
     * --partition: true when `worker` is cut off from the dispatcher at `now`, so the message
     * about to reach it is lost on the way (the caller journals it).
     */
    private readonly cutOff: (worker: string, message: WorkMessage, now: number) => boolean = () =>
      false,
    /**
     * Hand every message routed to a worker over at once instead of one at a time, so the real
     * work of one instant runs as a pipeline (see `canPipeline` for when the run's history is then
     * exactly the same).
     */
    private readonly pipelined = false,
    /**
     * Pipelined: true when a crash is scheduled for this epoch (at any point), so the worker
     * handed it may die on it, one hop later; no other death can be foreseen.
     */
    private readonly mayCrash: (epoch: number) => boolean = () => false,
    /**
     * Pipelined: writes the dispatcher's journal out; called before a batch of handovers leaves
     * the process, so every line about them is on file first (see `journalsBeforeLeaving`).
     */
    private readonly beforeLeaving?: () => void,
    /** Pipelined: handovers given to the transport at once, at most (see MOST_SENDS_PER_BATCH). */
    private readonly sendBatch = 32,
  ) {
    this.slots = Array.from({ length: workers }, (_, i) => ({
      id: `w${i + 1}`,
      incarnation: 0,
      state: 'starting' as SlotState,
      queue: new Fifo<WorkMessage>(),
      inHand: undefined,
      startHold: undefined,
      sent: [],
      stepHandovers: [],
    }));
    if (pipelined) {
      clock.beforeStep(() => this.sequenceHandovers());
      clock.onWait(() => this.flushSends());
      clock.boundBy(
        () => this.horizon(),
        () =>
          this.slots.flatMap((slot) =>
            slot.sent.map((h) => `${endpointOf(slot)} holds epoch ${h.message.epoch}`),
          ),
      );
    }
    void this.readAcks();
  }

  /** Called when the transport fails for good: the dispatcher's run rejects with it. */
  onFailure(handler: (error: Error) => void): void {
    this.failure = handler;
  }

  /**
   * Routes the message at once (the transport sends it later, see flushSends): the promise is one
   * already resolved, shared by every call, rather than an async function's own per message.
   */
  send(message: WorkMessage): Promise<void> {
    const slot = this.route();
    if (!slot) {
      this.unrouted.push(message);
      return RESOLVED;
    }
    slot.queue.push(message);
    this.serve(slot);
    return RESOLVED;
  }

  acks(): AsyncIterable<AckMessage> {
    return this.out;
  }

  /**
   * Before `go`: waits until every worker's first incarnation is reachable (the supervisor tells
   * which incarnation each worker is at, as one may have died and restarted while starting).
   */
  async waitForWorkers(count: number, timeoutMs: number): Promise<number> {
    const reachable = Promise.all(
      this.slots.slice(0, count).map(async (slot) => {
        const incarnation = slot.incarnation;
        await this.inner.reachable(endpointOf(slot));
        // Not if it died meanwhile (reported by the supervisor): its next incarnation comes up
        // through workerUp.
        if (slot.state === 'starting' && slot.incarnation === incarnation) slot.state = 'up';
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      reachable,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    return this.slots.filter((slot) => slot.state === 'up').length;
  }

  /** The supervisor's count of each worker's incarnation at `go`. */
  setIncarnations(incarnations: Readonly<Record<string, number>>): void {
    for (const slot of this.slots) slot.incarnation = incarnations[slot.id] ?? slot.incarnation;
  }

  /**
   * The supervisor: this incarnation died (`restartMs`: when to start the next one; `crashedOn`:
   * the message an injected crash fired on, from the worker's journal).
   */
  workerDown(
    worker: string,
    incarnation: number,
    restartMs: number,
    crashedOn?: { epoch: number; attempt: number },
  ): void {
    const slot = this.slot(worker);
    if (!slot || slot.incarnation !== incarnation || slot.state === 'dead' || slot.doomed) return;
    if (slot.sent.length > 0) return this.diedWithWork(slot, incarnation, restartMs, crashedOn);
    const inHand = slot.inHand;
    // Still at work (--work-ms) at a quiet instant: it dies now, and its ack never leaves.
    const working = inHand?.answered !== undefined;
    inHand?.answered?.();
    // A worker with a message in hand died with it, one hop after it was handed over; an idle
    // worker died now (a kill from outside, or from the live view at a quiet instant).
    const diedAfter = inHand && !working ? VIRTUAL_HOP_MS : 0;
    const killHold = this.pendingKills.get(endpointOf(slot));
    this.pendingKills.delete(endpointOf(slot));
    const release = (): void => {
      inHand?.release();
      killHold?.();
    };
    this.arrive(inHand?.handover ?? -1, release, () => {
      // An idle worker dies at this very instant, before any event of it can route to it; one
      // with a message in hand takes no other until it dies (its hand is full).
      if (diedAfter === 0) this.die(slot, incarnation, restartMs);
      else this.clock.after(diedAfter, () => this.die(slot, incarnation, restartMs));
    });
  }

  /** The supervisor: the next incarnation of `worker` is ready. */
  workerUp(worker: string, incarnation: number): void {
    const slot = this.slot(worker);
    if (!slot || slot.state !== 'starting') return;
    slot.incarnation = incarnation;
    const release = slot.startHold;
    slot.startHold = undefined;
    void this.inner.reachable(endpointOf(slot)).then(() =>
      this.arrive(this.handovers, release, () => {
        slot.state = 'up';
        this.drainUnrouted();
        this.serve(slot);
      }),
    );
  }

  /**
   * The live view's kill key: kills the named worker at the next fully quiet point of the run
   * (or at step `atStep`, replaying a recorded run). `done` learns the step it happened at, or
   * undefined when that worker was not up.
   */
  killAtStep(
    worker: string,
    atStep: number | undefined,
    done: (step: number | undefined) => void,
  ): void {
    this.clock.atStep((step) => {
      const slot = this.slot(worker);
      if (!slot || slot.state !== 'up') return done(undefined);
      // Held until the supervisor reports the death, which then takes its usual path.
      const release = this.clock.hold(`killing ${endpointOf(slot)}`);
      this.pendingKills.set(endpointOf(slot), release);
      this.control.kill(slot.id, slot.incarnation);
      done(step);
    }, atStep);
  }

  private readonly pendingKills = new Map<string, () => void>();
  /**
   * The live view's freeze key: at the next fully quiet point (or at step `atStep`, replaying),
   * freezes the named worker, or thaws it if the key froze it. A frozen worker gets no new work
   * (routing steers around it) and what waits in its queue waits: it times out, as for a
   * worker that stopped answering. `done` learns the step and which way it went, or undefined
   * when the worker was not up or is frozen by a --pause.
   */
  freezeAtStep(
    worker: string,
    atStep: number | undefined,
    done: (step: number | undefined, on: boolean) => void,
  ): void {
    this.clock.atStep((step) => {
      const slot = this.slot(worker);
      if (!slot || slot.state !== 'up' || (slot.frozen && !slot.liveFrozen))
        return done(undefined, false);
      const on = !slot.liveFrozen;
      slot.frozen = on;
      slot.liveFrozen = on;
      this.control.freeze?.(slot.id, slot.incarnation, on);
      if (!on) {
        this.drainUnrouted();
        this.serve(slot);
      }
      done(step, on);
    }, atStep);
  }

  /** Thaws waiting for their epoch to leave another worker's hand. */
  private thawsWaiting: (() => void)[] = [];

  /**
   * --pause: the supervisor froze this incarnation while it held a message. From one hop after
   * the handover (when it received it) the worker is silent for `ms`: the dispatcher's timeout
   * may fire and the epoch go to another worker. Then it is thawed, at the run's instant, and
   * finishes what it had in hand: the zombie.
   */
  workerFrozen(worker: string, incarnation: number, ms: number): void {
    const slot = this.slot(worker);
    const inHand = slot?.inHand;
    if (!slot || !inHand || slot.incarnation !== incarnation || slot.state !== 'up') return;
    this.arrive(inHand.handover, inHand.release, () => {
      if (slot.inHand !== inHand) return;
      slot.frozen = true;
      this.epochsInHand.delete(inHand.message.epoch);
      this.serveAll();
      this.clock.after(VIRTUAL_HOP_MS + ms, () => this.thaw(slot, inHand));
    });
  }

  /**
   * The frozen worker's time is up. If another worker holds the same epoch now, the thaw waits
   * for it: two workers never race on one epoch's dedupe mark, so the outcome is the run's own.
   */
  private thaw(slot: WorkerSlot, inHand: InHand): void {
    if (slot.inHand !== inHand || !slot.frozen || this.closed) return;
    const epoch = inHand.message.epoch;
    if (this.epochsInHand.has(epoch)) {
      this.thawsWaiting.push(() => this.thaw(slot, inHand));
      return;
    }
    slot.frozen = false;
    this.epochsInHand.set(epoch, 1);
    // Real work again: the clock waits for the zombie's answer.
    const release = this.clock.hold(`${endpointOf(slot)} wakes with epoch ${epoch}`);
    slot.inHand = { ...inHand, release };
    this.control.thaw?.(slot.id, slot.incarnation, this.clock.now());
    this.drainUnrouted();
  }

  async close(): Promise<void> {
    // Pipelined: what was handed over reached its worker before the run's last event, as one at
    // a time it would have (a handover held everything until answered): so the run ends only once
    // every worker has answered it, or died, and its journal says so.
    if (this.pipelined) {
      this.flushSends();
      await this.drained(DRAIN_LIMIT_MS);
    }
    this.closed = true;
    await this.inner.close();
    this.out.end();
  }

  /** Pipelined: handovers not yet answered (or dead), and who waits for none to be left. */
  private outstanding = 0;
  private onDrained: (() => void) | undefined;

  /** A handover's hold on the clock, ended once (see `holdBounded`). */
  private releaseHanded(handed: Handed): void {
    if (handed.released) return;
    handed.released = true;
    this.clock.releaseBounded();
    if (--this.outstanding === 0) this.onDrained?.();
  }

  private drained(limitMs: number): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, limitMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.onDrained = done;
    });
  }

  private die(slot: WorkerSlot, incarnation: number, restartMs: number): void {
    if (slot.incarnation !== incarnation || slot.state === 'dead') return;
    slot.state = 'dead';
    slot.doomed = false;
    // A frozen worker's epoch may be in another worker's hand by now: not its to free.
    if (slot.inHand && !slot.frozen) this.epochsInHand.delete(slot.inHand.message.epoch);
    slot.frozen = false;
    slot.liveFrozen = false;
    slot.inHand = undefined;
    // Its queue dies with it: those messages were in the dead process's socket.
    while (slot.queue.shift() !== undefined);
    this.serveAll();
    this.clock.after(restartMs, () => {
      if (this.closed) return;
      slot.state = 'starting';
      // The process takes real time to start; the run's time stands still meanwhile.
      slot.startHold = this.clock.hold(`${slot.id} is starting again`);
      this.control.restart(slot.id);
    });
  }

  /** The next worker that is up, round-robin in the fixed order w1, w2, … */
  private route(): WorkerSlot | undefined {
    for (let i = 0; i < this.slots.length; i++) {
      const index = (this.nextSlot + i) % this.slots.length;
      const slot = this.slots[index] as WorkerSlot;
      if (slot.state === 'up' && !slot.frozen) {
        this.nextSlot = (index + 1) % this.slots.length;
        return slot;
      }
    }
    return undefined;
  }

  private drainUnrouted(): void {
    for (
      let message = this.unrouted.peek();
      message !== undefined;
      message = this.unrouted.peek()
    ) {
      const slot = this.route();
      if (!slot) return;
      this.unrouted.shift();
      slot.queue.push(message);
      this.serve(slot);
    }
  }

  /** Hands the head of the worker's queue over, if the worker is free. */
  private serve(slot: WorkerSlot): void {
    if (this.pipelined) return this.serveAllQueued(slot);
    if (slot.state !== 'up' || slot.inHand || slot.frozen || this.closed) return;
    const next = slot.queue.peek();
    if (!next || this.epochsInHand.has(next.epoch)) return;
    slot.queue.shift();
    // Cut off: routed to it as ever (the dispatcher cannot tell), and lost on the way.
    if (this.cutOff(slot.id, next, this.clock.now())) return this.serve(slot);
    const handover = this.handovers++;
    const endpoint = endpointOf(slot);
    const release = this.clock.hold(`${endpoint} holds epoch ${next.epoch}`);
    const message: WorkMessage = { ...next, at: this.clock.now() + VIRTUAL_HOP_MS };
    slot.inHand = { message, handover, release };
    this.epochsInHand.set(next.epoch, 1);
    this.inner.sendTo(endpoint, message).catch((error: Error) => this.fail(error));
  }

  private serveAll(): void {
    // A frozen worker whose epoch just left another's hand wakes first.
    const thaws = this.thawsWaiting;
    this.thawsWaiting = [];
    for (const thaw of thaws) thaw();
    for (const slot of this.slots) this.serve(slot);
  }

  private async readAcks(): Promise<void> {
    try {
      for await (const ack of this.inner.acks()) this.onAck(ack);
    } catch (error) {
      if (!this.closed) this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private onAck(ack: AckMessage): void {
    if (this.pipelined && this.onPipelinedAck(ack)) return;
    const slot = this.slot(ack.worker);
    const inHand = slot?.inHand;
    if (
      !slot ||
      !inHand ||
      inHand.message.epoch !== ack.epoch ||
      inHand.message.attempt !== ack.attempt
    ) {
      // An answer nobody is waiting for (a worker killed from outside whose ack got out after its
      // death was reported): it still reaches the dispatcher, one hop later.
      this.arrive(Number.MAX_SAFE_INTEGER, undefined, () =>
        this.clock.after(VIRTUAL_HOP_MS, () => this.out.push(ack)),
      );
      return;
    }
    this.arrive(inHand.handover, inHand.release, () => {
      const workMs = this.workMs(ack.epoch, ack.attempt);
      if (workMs > 0) return this.answerAfterWork(slot, inHand, ack, workMs);
      slot.inHand = undefined;
      this.epochsInHand.delete(ack.epoch);
      // Handed over at `now`: received one hop later, answered at once, back one hop after that.
      this.clock.after(2 * VIRTUAL_HOP_MS, () => this.out.push(ack));
      // Waiting in a worker's queue takes no virtual time: the machine's speed at working
      // through a queue must not decide whether a timeout fires.
      this.serveAll();
    });
  }

  /**
   * --work-ms: the worker's real work is done, but in the run's time it takes `workMs` more: the
   * worker stays busy (its hand full, the epoch in hand) until then, and its ack arrives one hop
   * after that. The clock is free meanwhile, so timeouts, other workers and live keys go on.
   */
  private answerAfterWork(slot: WorkerSlot, inHand: InHand, ack: AckMessage, workMs: number): void {
    const done = this.clock.after(VIRTUAL_HOP_MS + workMs, () => {
      if (slot.inHand !== inHand) return;
      slot.inHand = undefined;
      this.epochsInHand.delete(ack.epoch);
      this.clock.after(VIRTUAL_HOP_MS, () => this.out.push(ack));
      this.serveAll();
    });
    inHand.answered = done;
  }

  /**
   * Something real happened: its hold is released now, and its consequences are applied at the
   * next quiet instant, together with everything else that arrived meanwhile, in handover order.
   */
  private arrive(key: number, release: (() => void) | undefined, apply: () => void): void {
    this.arrivals.push({ key, apply });
    if (!this.arrivalsScheduled) {
      this.arrivalsScheduled = true;
      this.clock.atQuiescence(() => this.applyArrivals());
    }
    release?.();
  }

  private applyArrivals(): void {
    this.arrivalsScheduled = false;
    const batch = this.arrivals.sort((a, b) => a.key - b.key);
    this.arrivals = [];
    for (const arrival of batch) arrival.apply();
  }

  // ---- Pipelined hand-over -------------------------------------------------------------------
  //
  // One at a time, each message a worker takes waits for the previous one's real round trip, and
  // each event of an instant waits for everything the previous one set off: the run advances by
  // one real round trip per message. Yet none of that waiting changes the run's history: work takes
  // no virtual time, so whatever is routed to a worker at instant t is handed over at t, its ack
  // lands at t + 2 hops and its worker's death at t + 1 hop. Pipelined, every message is handed
  // over as soon as it is routed (sent for real with the next batch, see MOST_SENDS_PER_BATCH),
  // each under a hold bounded by a horizon that lets the rest of the run go on up to the earliest
  // answer still out (VirtualClock.holdBounded, `horizon`), and what comes back is scheduled in the
  // place the one-at-a-time network would have given it:
  //
  // - Order. One at a time, the handovers one step sets off are answered in rounds: the first
  //   message of each worker, in the order of those workers' first handovers, then the second of
  //   each, and so on; each answer takes the next place among the events. `sequenceHandovers`
  //   reserves exactly those places, at the start of the next step, whenever the answers come.
  // - Deaths. A worker dies on the message it holds; the messages after it in its queue die with
  //   it. With an injected crash the worker's journal names that message, and the answers before it
  //   are taken as given even if their real copy is still on its way (or was lost in the dying
  //   process's socket buffer); an unexplained death takes the first unanswered message.
  //
  // The one-at-a-time network stays for what makes handing over wait in the run's time: --work-ms,
  // --pause, and duplicated work (two attempts of one epoch must not race on its dedupe mark).

  /** Pipelined serve: hands over everything waiting for this worker. */
  private serveAllQueued(slot: WorkerSlot): void {
    if (slot.state !== 'up' || slot.frozen || slot.doomed || this.closed) return;
    const now = this.clock.now();
    for (let next = slot.queue.peek(); next !== undefined; next = slot.queue.peek()) {
      // An earlier attempt of this epoch still out: never while pipelined (see canPipeline), but
      // should it happen, this one waits rather than race it.
      if (this.epochsInHand.has(next.epoch)) return;
      slot.queue.shift();
      if (this.cutOff(slot.id, next, now)) continue;
      this.handovers++;
      const endpoint = endpointOf(slot);
      this.clock.holdBounded();
      this.outstanding++;
      const message: WorkMessage = {
        epoch: next.epoch,
        attempt: next.attempt,
        at: now + VIRTUAL_HOP_MS,
      };
      const mayDie = this.mayCrash(next.epoch);
      const handed: Handed = { message, slot, handedAt: now, released: false, mayDie };
      slot.sent.push(handed);
      this.unsequenced.push(handed);
      this.epochsInHand.set(next.epoch, 1);
      this.pendingSends.push({ endpoint, message });
      if (this.pendingSends.length >= this.sendBatch) this.flushSends();
    }
  }

  /** Pipelined: handovers not yet given to the transport (see MOST_SENDS_PER_BATCH). */
  private pendingSends: { endpoint: string; message: WorkMessage }[] = [];

  get journalsBeforeLeaving(): boolean {
    return this.pipelined && this.beforeLeaving !== undefined;
  }

  private flushSends(): void {
    const sends = this.pendingSends;
    if (sends.length === 0) return;
    this.pendingSends = [];
    this.beforeLeaving?.();
    const sendAllTo = this.inner.sendAllTo?.bind(this.inner);
    if (!sendAllTo) {
      for (const { endpoint, message } of sends)
        this.inner.sendTo(endpoint, message).catch((error: Error) => this.fail(error));
      return;
    }
    // One pack per incarnation, in the order its messages were handed over: they reach it
    // together, as they would have one by one back to back.
    const packs = new Map<string, WorkMessage[]>();
    for (const { endpoint, message } of sends) {
      const pack = packs.get(endpoint);
      if (pack) pack.push(message);
      else packs.set(endpoint, [message]);
    }
    for (const [endpoint, messages] of packs)
      sendAllTo(endpoint, messages).catch((error: Error) => this.fail(error));
  }

  /** Places the last step's handovers in the order their answers take (see above). */
  private sequenceHandovers(): void {
    if (this.unsequenced.length === 0) return;
    // Each worker's handovers of the step, the workers in the order of their first handover (a
    // list per slot, kept between steps: this runs at every step).
    const order = this.sequencingOrder;
    for (const handed of this.unsequenced) {
      const slot = handed.slot;
      if (slot.stepHandovers.length === 0) order.push(slot);
      slot.stepHandovers.push(handed);
    }
    this.unsequenced.length = 0;
    for (let round = 0, more = true; more; round++) {
      more = false;
      for (const slot of order) {
        const handed = slot.stepHandovers[round];
        if (!handed) continue;
        more = true;
        handed.seq = this.clock.reserveSeq();
        if (!handed.done) (handed.mayDie ? this.outMayDie : this.outAcks).push(handed);
        this.schedule(handed);
      }
    }
    for (const slot of order) slot.stepHandovers.length = 0;
    order.length = 0;
  }

  /** sequenceHandovers' list of workers, kept between steps. */
  private readonly sequencingOrder: WorkerSlot[] = [];

  /**
   * The earliest place an outstanding handover may still fill: its worker's death one hop after
   * the handover, if a crash is scheduled for its epoch; else its ack, two hops after. Earlier
   * events of the run may go on meanwhile: the dispatcher takes each ack as soon as every earlier
   * one is in, and never before the run's history says it arrives.
   */
  private horizon(): EventPlace | undefined {
    let place: EventPlace | undefined;
    const first = this.unsequenced[0];
    if (first) place = { at: first.handedAt + VIRTUAL_HOP_MS, seq: Number.POSITIVE_INFINITY };
    place = earliestOutstanding(this.outMayDie, 1, place);
    return earliestOutstanding(this.outAcks, 2, place);
  }

  /** Schedules what came back for a handover, once it is known and has its place. */
  private schedule(handed: Handed): void {
    const { seq, outcome } = handed;
    if (seq === undefined || outcome === undefined) return;
    if ('ack' in outcome) {
      const ack = outcome.ack;
      this.clock.at(handed.handedAt + 2 * VIRTUAL_HOP_MS, seq, () => this.out.push(ack));
    } else {
      const { incarnation, restartMs } = outcome.died;
      this.clock.at(handed.handedAt + VIRTUAL_HOP_MS, seq, () =>
        this.die(handed.slot, incarnation, restartMs),
      );
    }
  }

  /** Pipelined: an answer to a handover; false if it answers none (the caller's old path). */
  private onPipelinedAck(ack: AckMessage): boolean {
    // Implied acks exist only after a crash: no key is built for every ack of a run without one.
    if (this.impliedAcks.size > 0 && this.impliedAcks.delete(impliedKey(ack))) return true;
    const slot = this.slot(ack.worker);
    if (!slot) return false;
    // Answers come in the order of handing over, so the first one is almost always it.
    const sent = slot.sent;
    let index = 0;
    while (
      index < sent.length &&
      !(
        (sent[index] as Handed).message.epoch === ack.epoch &&
        (sent[index] as Handed).message.attempt === ack.attempt
      )
    )
      index++;
    if (index === sent.length) return false;
    // Almost always the first: shift() takes it without the array splice() would return.
    const handed = (index === 0 ? sent.shift() : sent.splice(index, 1)[0]) as Handed;
    handed.outcome = { ack };
    handed.done = true;
    this.epochsInHand.delete(ack.epoch);
    this.schedule(handed);
    this.releaseHanded(handed);
    return true;
  }

  /** Pipelined: a worker died with handovers unanswered. */
  private diedWithWork(
    slot: WorkerSlot,
    incarnation: number,
    restartMs: number,
    crashedOn: { epoch: number; attempt: number } | undefined,
  ): void {
    const sent = slot.sent.splice(0);
    const found = crashedOn
      ? sent.findIndex(
          (h) => h.message.epoch === crashedOn.epoch && h.message.attempt === crashedOn.attempt,
        )
      : 0;
    const diedOn = Math.max(0, found);
    slot.doomed = true;
    sent.forEach((handed, i) => {
      handed.done = true;
      this.epochsInHand.delete(handed.message.epoch);
      const { epoch, attempt } = handed.message;
      if (i < diedOn) {
        // It answered these before it crashed (its journal says so); their acks left it.
        handed.outcome = { ack: { epoch, attempt, worker: slot.id } };
        this.impliedAcks.add(impliedKey({ epoch, attempt, worker: slot.id }));
      } else if (i === diedOn) {
        if (handed.mayDie) handed.outcome = { died: { incarnation, restartMs } };
        // A death nothing foretold (a kill from outside, a student's program that exits): the run
        // may already be past the hop after this handover, so it dies now, by the wall clock's
        // chance, as such a kill does on any clock.
        else this.clock.after(0, () => this.die(slot, incarnation, restartMs));
      }
      this.schedule(handed);
      this.releaseHanded(handed);
    });
    const killHold = this.pendingKills.get(endpointOf(slot));
    this.pendingKills.delete(endpointOf(slot));
    killHold?.();
  }

  private slot(worker: string): WorkerSlot | undefined {
    return this.slots.find((slot) => slot.id === worker);
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.failure?.(error);
  }
}

/**
 * The earlier of `place` and the place of the first unanswered handover in `fifo` (answered ones
 * at its head are dropped), `hops` hops after it was handed over. Called on every step of the
 * clock: no table, and an object only for a place that wins.
 */
function earliestOutstanding(
  fifo: Fifo<Handed>,
  hops: number,
  place: EventPlace | undefined,
): EventPlace | undefined {
  while (fifo.peek()?.done) fifo.shift();
  const head = fifo.peek();
  if (!head) return place;
  const at = head.handedAt + hops * VIRTUAL_HOP_MS;
  const seq = head.seq ?? Number.POSITIVE_INFINITY;
  if (place && (place.at < at || (place.at === at && place.seq <= seq))) return place;
  return { at, seq };
}

const RESOLVED: Promise<void> = Promise.resolve();

/** The key of an ack taken as given when its worker crashed (`impliedAcks`). */
function impliedKey(ack: AckMessage): string {
  return `${ack.worker}/${ack.epoch}/${ack.attempt}`;
}

/**
 * Whether a run's faults let the virtual network hand work over pipelined with the very same
 * history as one message at a time: not when work takes virtual time (--work-ms), a worker stops
 * with work in hand (--pause), or the network duplicates work (two attempts of one epoch at once).
 */
export function canPipeline(faults: readonly FaultSpec[]): boolean {
  return !faults.some(
    (fault) =>
      fault.type === 'work' ||
      fault.type === 'pause' ||
      (fault.type === 'duplicate' && fault.direction === 'work'),
  );
}

export function endpointOf(slot: { id: string; incarnation: number }): string {
  return `${slot.id}.${slot.incarnation}`;
}
