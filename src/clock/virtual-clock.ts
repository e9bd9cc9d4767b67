import type { Cancel, Clock, Release } from './clock.js';

/**
 * A place in the run's order of events: an instant, and the order of scheduling within it
 * (`seq`, from `reserveSeq`; Infinity: after everything scheduled so far at that instant).
 */
export interface EventPlace {
  readonly at: number;
  readonly seq: number;
}

/**
 * The earliest place in the run's order that real work still out may yet fill (an ack arriving,
 * a worker dying), or undefined when none is out. Events before it may run meanwhile.
 */
export type Horizon = () => EventPlace | undefined;

interface ScheduledEvent {
  readonly at: number;
  /** Order of scheduling: events at the same instant run in the order they were scheduled. */
  readonly seq: number;
  readonly action: () => void;
  cancelled: boolean;
}

/**
 * A discrete-event clock that drives real processes (the "simulated time" of FoundationDB's
 * simulator and of tokio's `time::pause`, applied to a run of real processes over a real network).
 *
 * Time is a number that only this clock moves. `after` puts an event in a queue ordered by
 * (instant, order of scheduling). `hold` declares real work in progress. One step at a time, and
 * only while nothing is held, the clock takes the earliest event, moves `now` to its instant and
 * runs it. Steps are taken from `setImmediate`, so every promise continuation that the previous
 * event set off has run (and taken its holds) before the next event is considered: an event's
 * consequences are never overtaken by a later event. Holds must be taken synchronously, before the
 * first `await` of the real work they cover.
 *
 * Nothing here reads the wall clock except to tell the watchdog how long the clock has been held.
 */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  private time = 0;
  private seq = 0;
  private readonly queue: ScheduledEvent[] = [];
  private readonly holds = new Map<number, string>();
  private nextHoldId = 0;
  private boundedHolds = 0;
  private readonly horizons: Horizon[] = [];
  private readonly describers: (() => string[])[] = [];
  private readonly waitHooks: (() => void)[] = [];
  private readonly beforeStepHooks: (() => void)[] = [];
  private stepScheduled = false;
  private stopped = false;
  private readonly interventions: (() => void)[] = [];
  /** Events run so far: with the virtual clock's determinism, a name for each quiet point. */
  private eventsRun = 0;
  private readonly stepActions: { atStep: number; action: (step: number) => void }[] = [];
  /** Wall time (performance.now) of the last step or release: how the watchdog sees movement. */
  private lastMovementAt = performance.now();

  now(): number {
    return this.time;
  }

  after(ms: number, action: () => void): Cancel {
    const event: ScheduledEvent = {
      at: this.time + Math.max(0, ms),
      seq: this.seq++,
      action,
      cancelled: false,
    };
    this.push(event);
    this.kick();
    return () => {
      event.cancelled = true;
    };
  }

  hold(why: string): Release {
    const id = this.nextHoldId++;
    this.holds.set(id, why);
    return () => {
      if (!this.holds.delete(id)) return;
      this.lastMovementAt = performance.now();
      if (this.holds.size === 0) this.kick();
    };
  }

  /**
   * A hold bounded by a horizon (the holder registered one with `boundBy`, and it covers this
   * work): events before the horizon keep running while it is held, which lets a run's work
   * pipeline (src/core/virtual-network.ts). What the work brings back must be scheduled with `at`,
   * at or after the horizon's place, before the hold is released with `releaseBounded`, once. No
   * name, no map entry and no closure: one is taken per message, and the holder describes what it
   * holds (`boundBy`) when the watchdog asks.
   */
  holdBounded(): void {
    this.boundedHolds++;
  }

  /** Ends one hold taken with `holdBounded`. */
  releaseBounded(): void {
    this.boundedHolds--;
    this.lastMovementAt = performance.now();
    // The horizon may have moved, although other holds are still out.
    if (this.holds.size === 0) this.kick();
  }

  /**
   * Runs `hook` whenever the clock stops to wait for bounded holds: a holder that batches what it
   * sends must flush it then, or nobody would answer.
   */
  onWait(hook: () => void): void {
    this.waitHooks.push(hook);
  }

  /**
   * Registers the horizon of the holder's bounded holds (see `holdBounded`), and what they are,
   * for the watchdog's diagnosis.
   */
  boundBy(horizon: Horizon, describe: () => string[]): void {
    this.horizons.push(horizon);
    this.describers.push(describe);
  }

  /**
   * Reserves a place in the order of events of one instant, for an event scheduled later with
   * `at`: so that its place is decided by the run, not by when real work came back.
   */
  reserveSeq(): number {
    return this.seq++;
  }

  /**
   * Runs `action` at the instant `at` (not before now), in the place `seq` from `reserveSeq`. It
   * cannot be cancelled (no closure made for that: one is scheduled per message).
   */
  at(at: number, seq: number, action: () => void): void {
    if (at < this.time) throw new Error(`virtual clock: ${at} is in the past (now ${this.time})`);
    this.push({ at, seq, action, cancelled: false });
    this.kick();
  }

  /**
   * Runs `hook` at the start of every step, before anything else: after everything the previous
   * step set off synchronously and in its promise continuations, and before the next event.
   */
  beforeStep(hook: () => void): void {
    this.beforeStepHooks.push(hook);
  }

  /**
   * Runs `action` at the next instant where nothing is held, before time moves on: how something
   * that happens in real time (a key pressed in the live view) enters the run at a defined instant.
   */
  atQuiescence(action: () => void): void {
    this.interventions.push(action);
    this.kick();
  }

  /**
   * Runs `action` at the first fully quiet point (nothing held, every arrival applied) once
   * `atStep` events have run (now, if that many already have), before the next event. The action
   * gets the step it ran at: a run that journals it can be replayed exactly, by scheduling the
   * same action at the same step. Without `atStep`: the next fully quiet point (a key pressed).
   */
  atStep(action: (step: number) => void, atStep?: number): void {
    this.stepActions.push({ atStep: atStep ?? this.eventsRun, action });
    this.kick();
  }

  /** What holds the clock now, oldest first, for a diagnosis ("w2.0 holds epoch 17"). */
  heldBy(): string[] {
    return [...this.holds.values(), ...this.describers.flatMap((describe) => describe())];
  }

  /** Milliseconds of wall time since the clock last moved or a hold was released. */
  stillFor(): number {
    return performance.now() - this.lastMovementAt;
  }

  /** Nothing is held and nothing is scheduled: only something from outside can move the run. */
  get idle(): boolean {
    return (
      this.holds.size === 0 &&
      this.boundedHolds === 0 &&
      this.interventions.length === 0 &&
      this.queue.length === 0 &&
      this.stepActions.length === 0
    );
  }

  /** No more steps: the run is over. */
  stop(): void {
    this.stopped = true;
  }

  private kick(): void {
    if (this.stepScheduled || this.stopped) return;
    this.stepScheduled = true;
    setImmediate(() => this.step());
  }

  private step(): void {
    this.stepScheduled = false;
    if (this.stopped) return;
    for (const hook of this.beforeStepHooks) hook();
    if (this.holds.size > 0 || this.boundedHolds > 0) return this.stepWhileHeld();
    const intervention = this.interventions.shift();
    if (intervention) {
      intervention();
      this.kick();
      return;
    }
    const due = this.stepActions.findIndex((entry) => entry.atStep <= this.eventsRun);
    if (due >= 0) {
      const [entry] = this.stepActions.splice(due, 1);
      entry?.action(this.eventsRun);
      this.kick();
      return;
    }
    let event = this.pop();
    while (event?.cancelled) event = this.pop();
    if (!event) return;
    this.time = event.at;
    this.eventsRun++;
    this.lastMovementAt = performance.now();
    event.action();
    this.kick();
  }

  /**
   * Only bounded holds outstanding: run the next event if it comes before every horizon.
   * Interventions and replayed step actions wait for a fully quiet point, as they always did:
   * pipelining must not move them.
   */
  private stepWhileHeld(): void {
    const event = this.nextEventBeforeHorizons();
    if (!event) {
      // Waiting for real work: whoever holds it must have sent it off by now.
      for (const hook of this.waitHooks) hook();
      return;
    }
    this.pop();
    this.time = event.at;
    this.eventsRun++;
    this.lastMovementAt = performance.now();
    event.action();
    this.kick();
  }

  private nextEventBeforeHorizons(): ScheduledEvent | undefined {
    if (this.holds.size > 0 || this.interventions.length > 0) return undefined;
    if (this.stepActions.some((entry) => entry.atStep <= this.eventsRun)) return undefined;
    let event = this.queue[0];
    while (event?.cancelled) {
      this.pop();
      event = this.queue[0];
    }
    if (!event) return undefined;
    for (const horizon of this.horizons) {
      const place = horizon();
      if (place && !earlier(event, place)) return undefined;
    }
    return event;
  }

  // A binary heap on (at, seq).
  private push(event: ScheduledEvent): void {
    const queue = this.queue;
    queue.push(event);
    let i = queue.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(event, queue[parent] as ScheduledEvent)) break;
      queue[i] = queue[parent] as ScheduledEvent;
      i = parent;
    }
    queue[i] = event;
  }

  private pop(): ScheduledEvent | undefined {
    const queue = this.queue;
    const top = queue[0];
    const last = queue.pop();
    if (top === undefined || last === undefined || queue.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= queue.length) break;
      const right = left + 1;
      const child =
        right < queue.length &&
        earlier(queue[right] as ScheduledEvent, queue[left] as ScheduledEvent)
          ? right
          : left;
      if (!earlier(queue[child] as ScheduledEvent, last)) break;
      queue[i] = queue[child] as ScheduledEvent;
      i = child;
    }
    queue[i] = last;
    return top;
  }
}

function earlier(a: EventPlace, b: EventPlace): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
