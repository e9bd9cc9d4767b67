import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveSwitch } from '../faults/spec.js';
import { localized } from '../i18n/catalog.js';
import { InfrastructureError, InterruptedError, WorkerProtocolError } from '../shared/errors.js';
import type {
  DispatchOutcome,
  DispatcherToSupervisor,
  Progress,
  SupervisorToChild,
  WorkerToSupervisor,
} from './ipc.js';
import { wallClockEnv } from '../clock/wall-clock.js';
import { DISPATCHER_V8_FLAGS } from './dispatcher-heap.js';
import { Journal, type JournalEntry } from './journal.js';
import { PARENT_PID_ENV } from './parent-watch.js';
import { writePlan } from './plan-file.js';
import { RUN_FILES, workerJournalFile, type RunPlan } from './run-plan.js';

// The tiny entry files, which follow this process from their first instruction (./parent-watch.ts).
const DISPATCHER_ENTRY = fileURLToPath(new URL('./dispatcher-entry.js', import.meta.url));
const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.js', import.meta.url));

/** How long children get to start (bind, connect, open the store) before the run is declared broken. */
const STARTUP_TIMEOUT_MS = 15_000;
/** How long children get to exit on their own before they are killed. */
const STOP_GRACE_MS = 500;

export type WorkerState = 'starting' | 'running' | 'crashed' | 'restarting' | 'stopped' | 'paused';

export interface SupervisorHooks {
  onProgress?(progress: Progress): void;
  onWorkerState?(worker: string, state: WorkerState, detail?: string): void;
}

/**
 * A fault the supervisor injects from outside the run's processes (a Kafka broker crash). It
 * watches the dispatcher's progress, journals what it does in the supervisor's journal, and puts
 * back what it broke when the run ends, however it ends.
 */
export interface OutsideFault {
  onProgress(progress: Progress, record: (entry: JournalEntry) => void): void;
  /**
   * The run is over and its processes are stopped; the journal is still open. `interrupted`: the
   * user is waiting for the terminal, so start what was broken again but do not wait for it.
   * Rejects if the fault could not be injected or undone.
   */
  settle(record: (entry: JournalEntry) => void, interrupted: boolean): Promise<void>;
}

interface WorkerSlot {
  readonly id: string;
  incarnation: number;
  child: ChildProcess | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  /** The current incarnation was killed with a key in the live view. */
  liveKilled?: boolean;
  /** Settles when an incarnation first reports 'ready' (the run waits for every worker's). */
  readonly ready: Promise<void>;
  markReady(): void;
  /** Virtual clock: restarted at the dispatcher's request, and not yet announced 'worker-up'. */
  awaitingUp?: boolean;
  /**
   * Virtual clock: the next incarnation, started ahead and idle until the dispatcher asks for
   * the restart, so a restart costs the run no wall time (the run's time stands still meanwhile).
   */
  standby?: Standby;
}

interface Standby {
  readonly child: ChildProcess;
  readonly incarnation: number;
  /** Resolves true once it reported 'ready'; false if it died or never did. */
  readonly ready: Promise<boolean>;
}

/**
 * Starts the dispatcher and the workers as separate OS processes, restarts workers that die, and
 * stops everything at the end, on failure, or when `interrupt` is called (Ctrl-C). It never counts
 * anything: it only records process starts and deaths in its own journal.
 */
export class Supervisor {
  private readonly journal: Journal;
  private readonly children = new Set<ChildProcess>();
  /** Children this supervisor killed itself (Ctrl-C, the stop's grace): their deaths are expected. */
  private readonly killedHere = new WeakSet<ChildProcess>();
  private readonly workers: WorkerSlot[];
  private stopping = false;
  private interrupted = false;
  private readonly record = (entry: JournalEntry): void => this.journal.append(entry);
  /** What each child said before it died: its 'failed' message and the end of its stderr. */
  private readonly childNotes = new WeakMap<
    ChildProcess,
    { stderrTail: string; failure: string }
  >();
  private address = '';
  private dispatcher: ChildProcess | undefined;
  /** The run's time is the dispatcher's virtual clock: it decides when workers restart. */
  private readonly virtual: boolean;
  private readonly wantsStandbys: boolean;
  /** Set once every process has started and the dispatcher got 'go'. */
  private dispatching = false;
  private fail: (error: Error) => void = () => undefined;
  /** Rejects when the run must end early: interrupted, or a child failed for good. */
  private readonly failure = new Promise<never>((_, reject) => (this.fail = reject));

  constructor(
    private readonly plan: RunPlan,
    private readonly hooks: SupervisorHooks = {},
    private readonly outsideFaults: readonly OutsideFault[] = [],
  ) {
    this.journal = new Journal(join(plan.runDir, RUN_FILES.supervisorJournal));
    this.virtual = plan.clock === 'virtual';
    // Standbys cost a process each: only for runs where workers are expected to die.
    this.wantsStandbys =
      this.virtual && (plan.live === true || plan.faults.some((f) => f.type === 'crash'));
    this.workers = Array.from({ length: plan.workers }, (_, i) => {
      let markReady = (): void => undefined;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      return {
        id: `w${i + 1}`,
        incarnation: 0,
        child: undefined,
        restartTimer: undefined,
        ready,
        markReady,
      };
    });
    this.failure.catch(() => undefined);
  }

  /** Runs the plan to its end and returns the dispatcher's outcome. */
  async run(): Promise<DispatchOutcome> {
    writePlan(this.plan);
    let outcome: DispatchOutcome;
    let settleProblem: Error | undefined;
    try {
      outcome = await this.runProcesses();
    } finally {
      await this.stopAll();
      this.removeUnusedStandbyJournals();
      // After the processes and before the journal closes, also when the run failed: a killed
      // broker must be running again when semlab exits, so the next run finds the whole cluster.
      settleProblem = await this.settleOutsideFaults();
      this.journal.close();
    }
    // A run that failed already reports its own error; this one only surfaces from a good run.
    if (settleProblem) throw settleProblem;
    return outcome;
  }

  private async runProcesses(): Promise<DispatchOutcome> {
    // Interrupted before it started (a signal during the run's checks): nothing to start.
    if (this.stopping) return this.failure;
    const dispatcher = this.spawn(DISPATCHER_ENTRY, [this.plan.runDir], 'dispatcher');
    this.dispatcher = dispatcher;
    const bound = await this.race(this.nextMessage(dispatcher, 'bound', STARTUP_TIMEOUT_MS, {}));
    this.address = bound.address;
    // A worker that dies while it starts is restarted like any other (onWorkerExit); the run
    // waits for each worker's first ready incarnation, never for a dead one.
    for (const slot of this.workers)
      this.startWorker(slot).catch((error: Error) => this.fail(error));
    await this.race(Promise.all(this.workers.map((slot) => slot.ready)));
    const done = this.nextMessage(dispatcher, 'done', Infinity, {});
    const incarnations = Object.fromEntries(
      this.workers.map((slot) => [slot.id, slot.incarnation]),
    );
    send(dispatcher, { type: 'go', incarnations });
    this.dispatching = true;
    for (const slot of this.workers) this.startStandby(slot);
    const { outcome } = await this.race(done);
    this.journal.append({ kind: 'run-end', status: outcome.status });
    return outcome;
  }

  private async settleOutsideFaults(): Promise<Error | undefined> {
    let problem: Error | undefined;
    for (const fault of this.outsideFaults) {
      try {
        await fault.settle(this.record, this.interrupted);
      } catch (error) {
        problem ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    return problem;
  }

  /** Live view: turns a live switch (drop work, drop acks, slow acks, pause) on or off. */
  setLiveSwitch(which: LiveSwitch, on: boolean): void {
    const dispatcher = this.dispatcher;
    if (dispatcher && !this.stopping) send(dispatcher, { type: 'live', switch: which, on });
  }

  /**
   * Live view: kills a running worker with SIGKILL (the one named, or one at random), as a real
   * process death at whatever step it is in; it is restarted like any crashed worker. Returns
   * the worker killed, or undefined when none is running.
   */
  crashWorker(workerId?: string): string | undefined {
    // Not while the processes start: the run would wait for a 'ready' that never comes.
    if (this.stopping || !this.dispatching) return undefined;
    const running = this.workers.filter(
      (slot) => slot.child && slot.child.exitCode === null && slot.child.signalCode === null,
    );
    const slot = workerId
      ? running.find((s) => s.id === workerId)
      : running[Math.floor(Math.random() * running.length)];
    if (!slot?.child) return undefined;
    if (this.virtual) {
      // On the virtual clock the death must happen at a defined instant of the run: the
      // dispatcher picks the next quiet one and asks for the kill ('kill-worker').
      if (this.dispatcher) send(this.dispatcher, { type: 'live-kill', worker: slot.id });
      return slot.id;
    }
    this.killFromLiveView(slot);
    return slot.id;
  }

  /** SIGKILL of a worker for the live view (journalled as such, so it is not an outside kill). */
  private killFromLiveView(slot: WorkerSlot): void {
    if (!slot.child || slot.child.exitCode !== null || slot.child.signalCode !== null) return;
    this.journal.append({
      kind: 'live-crash',
      worker: slot.id,
      incarnation: slot.incarnation,
      pid: slot.child.pid ?? -1,
    });
    slot.liveKilled = true;
    slot.child.kill('SIGKILL');
  }

  /** Workers frozen with the live view's key: continued before the stop, like the others. */
  private readonly liveFrozen = new Set<ChildProcess>();

  /**
   * Live view: freezes the named running worker (SIGSTOP), or continues it if the key froze it.
   * On the virtual clock the dispatcher picks the quiet instant ('live-freeze'). Returns the
   * worker, or undefined when it is not running (or is frozen by a --pause).
   */
  freezeWorker(workerId: string): string | undefined {
    if (this.stopping || !this.dispatching) return undefined;
    const slot = this.workers.find((w) => w.id === workerId);
    const child = slot?.child;
    if (!slot || !child || child.exitCode !== null || child.signalCode !== null) return undefined;
    if (this.frozen.has(child)) return undefined;
    if (this.virtual) {
      if (this.dispatcher) send(this.dispatcher, { type: 'live-freeze', worker: slot.id });
      return slot.id;
    }
    this.setLiveFrozen(slot, child, !this.liveFrozen.has(child));
    return slot.id;
  }

  /** Live view: cuts the named worker off from the dispatcher, or reconnects it (its call). */
  cutWorker(workerId: string): string | undefined {
    if (this.stopping || !this.dispatching || !this.dispatcher) return undefined;
    if (!this.workers.some((w) => w.id === workerId)) return undefined;
    send(this.dispatcher, { type: 'live-cut', worker: workerId });
    return workerId;
  }

  private setLiveFrozen(slot: WorkerSlot, child: ChildProcess, on: boolean): void {
    if (this.stopping || child.exitCode !== null || child.signalCode !== null) return;
    const pid = child.pid ?? -1;
    if (on && !this.liveFrozen.has(child)) {
      child.kill('SIGSTOP');
      this.liveFrozen.add(child);
      this.journal.append({
        kind: 'worker-stop',
        worker: slot.id,
        incarnation: slot.incarnation,
        pid,
        live: true,
      });
      this.hooks.onWorkerState?.(slot.id, 'paused');
    } else if (!on && this.liveFrozen.delete(child)) {
      child.kill('SIGCONT');
      this.journal.append({
        kind: 'worker-cont',
        worker: slot.id,
        incarnation: slot.incarnation,
        pid,
      });
      this.hooks.onWorkerState?.(slot.id, 'running');
    }
  }

  /** Workers frozen now (SIGSTOP): thawed before the stop, so none is ever left stopped. */
  private readonly frozen = new Set<ChildProcess>();
  private readonly thawTimers = new Set<NodeJS.Timeout>();

  /**
   * --pause: a worker reached a scheduled pause and asks to be frozen. It is stopped for real
   * (SIGSTOP: its state in /proc is T) and continued (SIGCONT) `ms` later: on the real clock by a
   * timer here, on the virtual clock when the dispatcher's clock says so ('thaw-worker'), so the
   * run's time decides what happens meanwhile.
   */
  private onPauseRequest(child: ChildProcess, ms: number): void {
    const slot = this.workers.find((w) => w.child === child);
    if (!slot || this.stopping || child.exitCode !== null || child.signalCode !== null) return;
    const incarnation = slot.incarnation;
    child.kill('SIGSTOP');
    this.frozen.add(child);
    this.journal.append({
      kind: 'worker-stop',
      worker: slot.id,
      incarnation,
      pid: child.pid ?? -1,
    });
    this.hooks.onWorkerState?.(slot.id, 'paused', `${ms} ms`);
    if (this.virtual && this.dispatching && this.dispatcher) {
      send(this.dispatcher, { type: 'worker-frozen', worker: slot.id, incarnation, ms });
      return;
    }
    const timer = setTimeout(() => {
      this.thawTimers.delete(timer);
      this.thaw(slot, child);
    }, ms);
    this.thawTimers.add(timer);
  }

  /** SIGCONT for a frozen worker, and 'thawed' (with the run's instant, on the virtual clock). */
  private thaw(slot: WorkerSlot, child: ChildProcess, at?: number): void {
    if (!this.frozen.delete(child)) return;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    this.journal.append({
      kind: 'worker-cont',
      worker: slot.id,
      incarnation: slot.incarnation,
      pid: child.pid ?? -1,
    });
    if (!this.stopping) this.hooks.onWorkerState?.(slot.id, 'running');
    send(child, { type: 'thawed', ...(at !== undefined ? { at } : {}) });
  }

  /** Runs on the virtual clock: the dispatcher, which owns the run's time, asked for this. */
  private onDispatcherRequest(message: DispatcherToSupervisor): void {
    if (this.stopping) return;
    const slot =
      'worker' in message ? this.workers.find((w) => w.id === message.worker) : undefined;
    if (!slot) return;
    if (message.type === 'kill-worker' && slot.incarnation === message.incarnation) {
      this.killFromLiveView(slot);
    } else if (message.type === 'freeze-worker') {
      if (slot.child && slot.incarnation === message.incarnation)
        this.setLiveFrozen(slot, slot.child, message.on);
    } else if (message.type === 'thaw-worker') {
      if (slot.child && slot.incarnation === message.incarnation)
        this.thaw(slot, slot.child, message.at);
    } else if (message.type === 'restart-worker') {
      this.hooks.onWorkerState?.(slot.id, 'restarting');
      this.restartForDispatcher(slot);
    }
  }

  /**
   * Virtual clock: starts the worker's next incarnation and tells the dispatcher once it is
   * ready. One that dies while starting is started again at once (the dispatcher's clock stands
   * still until a 'worker-up' comes), and its death is counted like any other.
   */
  private restartForDispatcher(slot: WorkerSlot): void {
    slot.awaitingUp = true;
    this.startWorker(slot)
      .then((ready) => {
        if (!ready || !this.dispatcher || this.stopping) return;
        slot.awaitingUp = false;
        send(this.dispatcher, {
          type: 'worker-up',
          worker: slot.id,
          incarnation: slot.incarnation,
        });
      })
      .catch((error: Error) => this.fail(error));
  }

  /** Stops the run from outside (Ctrl-C, SIGTERM): `run` rejects with an InterruptedError. */
  interrupt(signal: string): void {
    // Once: a second signal during the stop changes nothing (the first one's cleanup goes on).
    if (this.interrupted) return;
    this.journal.append({ kind: 'run-end', status: `interrupted by ${signal}` });
    // No child holds anything worth a goodbye (journals are written as events happen), so they
    // are killed at once: Ctrl-C must free the terminal within a second, even on a loaded machine.
    this.stopping = true;
    this.interrupted = true;
    for (const child of this.children) this.kill(child);
    // SIGKILL ends a stopped process too; continuing it as well leaves nothing stopped whatever.
    for (const child of [...this.frozen, ...this.liveFrozen]) child.kill('SIGCONT');
    this.frozen.clear();
    this.liveFrozen.clear();
    this.fail(new InterruptedError(signal));
  }

  private kill(child: ChildProcess): void {
    this.killedHere.add(child);
    child.kill('SIGKILL');
  }

  private race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.failure]);
  }

  private spawn(entry: string, args: string[], name: string, detached = false): ChildProcess {
    const child = fork(entry, args, {
      detached,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // The dispatcher alone gets its heap flags (src/core/dispatcher-heap.ts says why).
      execArgv: name === 'dispatcher' ? [...DISPATCHER_V8_FLAGS] : [],
      serialization: 'json',
      // The run's wall clock, so every journal's `t` compares with every other's.
      env: { ...process.env, ...wallClockEnv(), [PARENT_PID_ENV]: String(process.pid) },
    });
    this.children.add(child);
    const notes = { stderrTail: '', failure: '' };
    this.childNotes.set(child, notes);
    child.stderr?.on('data', (chunk: Buffer) => {
      notes.stderrTail = (notes.stderrTail + chunk.toString()).slice(-2000);
    });
    child.on('message', (message: DispatcherToSupervisor | WorkerToSupervisor) => {
      if (message.type === 'failed') {
        notes.failure = message.message;
        this.fail(
          'protocol' in message && message.protocol
            ? new WorkerProtocolError(message.protocol)
            : new InfrastructureError(message.message),
        );
      }
      if (message.type === 'progress') {
        this.hooks.onProgress?.(message.progress);
        for (const fault of this.outsideFaults) fault.onProgress(message.progress, this.record);
      }
      if (
        message.type === 'restart-worker' ||
        message.type === 'kill-worker' ||
        message.type === 'thaw-worker' ||
        message.type === 'freeze-worker'
      )
        this.onDispatcherRequest(message);
      if (message.type === 'pause') this.onPauseRequest(child, message.ms);
    });
    child.on('exit', () => this.children.delete(child));
    if (name === 'dispatcher') {
      // 'close' comes after the last IPC message and stderr bytes, so the diagnosis is complete.
      child.on('close', (code, signal) => {
        if (this.stopping) return;
        const why = signal ?? `exit code ${code}`;
        this.fail(
          new InfrastructureError(
            `the dispatcher process ended unexpectedly (${why})${this.diagnosisOf(child)}`,
          ),
        );
      });
    }
    return child;
  }

  /**
   * Starts the slot's current incarnation (or makes its standby the worker) and resolves once it
   * is ready; resolves false if it died before it was (onWorkerExit then restarts and counts it).
   */
  private async startWorker(slot: WorkerSlot): Promise<boolean> {
    const incarnation = slot.incarnation;
    const standby = slot.standby;
    slot.standby = undefined;
    if (standby && standby.incarnation === incarnation && (await standby.ready)) {
      this.activate(slot, standby.child, incarnation);
      this.becameReady(slot);
      return true;
    }
    standby?.child.kill('SIGKILL');
    const child = this.spawnWorker(slot, incarnation);
    this.activate(slot, child, incarnation);
    this.hooks.onWorkerState?.(slot.id, 'starting');
    // Dead before it was ready: onWorkerExit restarts it (or fails the run) and counts it.
    const ready = await this.readyOrDead(child, slot, incarnation);
    if (ready) this.becameReady(slot);
    return ready;
  }

  private becameReady(slot: WorkerSlot): void {
    this.hooks.onWorkerState?.(slot.id, 'running');
    slot.markReady();
    this.startStandby(slot);
  }

  private spawnWorker(slot: WorkerSlot, incarnation: number): ChildProcess {
    const child = this.spawn(
      WORKER_ENTRY,
      [this.plan.runDir, slot.id, String(incarnation), this.address],
      slot.id,
      // A worker that runs a student's program leads a process group of its own, which holds
      // that program too: killing the group when the worker dies, however it died, leaves no
      // student process behind (src/core/external-worker/).
      this.plan.workerCmd !== undefined,
    );
    if (this.plan.workerCmd !== undefined) {
      child.on('exit', () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already empty.
        }
      });
    }
    child.on('exit', (code, signal) => {
      // Only the active incarnation's death is a worker's death; a standby's is not.
      if (slot.child === child) this.onWorkerExit(slot, child, incarnation, code, signal);
      else if (slot.standby?.child === child) slot.standby = undefined;
    });
    return child;
  }

  /** From now on this process is the worker: its start is journalled, its death counts. */
  private activate(slot: WorkerSlot, child: ChildProcess, incarnation: number): void {
    slot.child = child;
    this.journal.append({
      kind: 'worker-start',
      worker: slot.id,
      incarnation,
      pid: child.pid ?? -1,
    });
  }

  /**
   * Virtual clock only: starts the slot's next incarnation ahead of need. It loads, opens its
   * store and its (routed, so silent) link, reports ready, and waits to be made the worker.
   */
  private startStandby(slot: WorkerSlot): void {
    if (!this.wantsStandbys || !this.dispatching || this.stopping || slot.standby) return;
    const incarnation = slot.incarnation + 1;
    const child = this.spawnWorker(slot, incarnation);
    // A standby that never gets ready is replaced by a fresh start when its turn comes.
    const ready = this.readyOrDead(child, slot, incarnation).catch(() => false);
    slot.standby = { child, incarnation, ready };
    this.standbysStarted.push({ worker: slot.id, incarnation });
  }

  /**
   * True once the child reports 'ready', false if it dies first; rejects if it neither reports
   * nor dies within the start-up time.
   */
  private readyOrDead(
    child: ChildProcess,
    slot: WorkerSlot,
    incarnation: number,
  ): Promise<boolean> {
    return this.nextMessage(
      child,
      'ready',
      STARTUP_TIMEOUT_MS,
      { worker: slot.id, incarnation },
      true,
    ).then(
      () => true,
      (error: unknown) => (error instanceof ChildExited ? false : Promise.reject(error)),
    );
  }

  /** Every standby ever started, so the journals of those never made workers can be removed. */
  private readonly standbysStarted: { worker: string; incarnation: number }[] = [];

  private onWorkerExit(
    slot: WorkerSlot,
    child: ChildProcess,
    incarnation: number,
    code: number | null,
    signal: string | null,
  ): void {
    const crash =
      signal === null
        ? undefined
        : lastCrash(join(this.plan.runDir, workerJournalFile(slot.id, incarnation)));
    const liveKilled = slot.liveKilled === true && slot.child === child;
    // The end of the run: a worker that left when asked, or that this supervisor killed. Any other
    // death counts, even one that lands during the stop (an injected crash, a kill from outside).
    const expected = this.stopping && (signal === null || this.killedHere.has(child));
    this.journal.append({
      kind: 'worker-exit',
      worker: slot.id,
      incarnation,
      code,
      signal,
      expected,
      // A death semlab caused (a crash fault that fired, a key in the live view); the others are
      // kills from outside (report: externalKills).
      injected: crash !== undefined || liveKilled,
    });
    if (this.stopping) return;
    if (signal === null && code !== 0) {
      // It failed on its own (bad store, transport error): restarting would only fail again.
      child.once('close', () => {
        const detail = this.diagnosisOf(child);
        this.fail(
          new InfrastructureError(
            localized('workerExited', { worker: slot.id, incarnation, code, detail }),
          ),
        );
      });
      return;
    }
    const delay = this.restartDelayFor(crash);
    slot.liveKilled = false;
    this.hooks.onWorkerState?.(
      slot.id,
      'crashed',
      crash
        ? `${crash.point} at epoch ${crash.epoch}`
        : liveKilled
          ? 'killed from the live view'
          : `killed by ${signal}`,
    );
    slot.incarnation++;
    if (this.virtual && this.dispatching && slot.awaitingUp) {
      // It died while starting, before the dispatcher heard of it: start the next one now.
      this.restartForDispatcher(slot);
      return;
    }
    if (this.virtual && this.dispatching && this.dispatcher) {
      // The dispatcher's clock decides when the next incarnation starts ('restart-worker').
      send(this.dispatcher, {
        type: 'worker-down',
        worker: slot.id,
        incarnation,
        restartMs: delay,
        // The message the crash fired on: the virtual network then knows which answers left first.
        ...(crash?.attempt !== undefined
          ? { crashedOn: { epoch: crash.epoch, attempt: crash.attempt } }
          : {}),
      });
      return;
    }
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.stopping) return;
      this.hooks.onWorkerState?.(slot.id, 'restarting');
      this.startWorker(slot).catch((error: Error) => this.fail(error));
    }, delay);
  }

  /** ": <what the child said>" for an error message, or nothing. */
  private diagnosisOf(child: ChildProcess): string {
    const notes = this.childNotes.get(child);
    if (notes?.failure) return `: ${notes.failure}`;
    const tail = notes?.stderrTail.trim();
    return tail ? `: ${tail.split('\n').slice(-3).join(' | ')}` : '';
  }

  /** The delay of the crash spec that fired (journals of older runs name only its point). */
  private restartDelayFor(crash: { point: string; fault?: number } | undefined): number {
    const fault =
      crash?.fault !== undefined
        ? this.plan.faults[crash.fault]
        : this.plan.faults.find((f) => f.type === 'crash' && f.point === crash?.point);
    return fault?.type === 'crash' && fault.restartMs !== undefined
      ? fault.restartMs
      : this.plan.restartDelayMs;
  }

  /**
   * The child's next message of a type; names the child if it stays silent too long. With
   * `untilExit`, rejects with ChildExited if the child dies first (its death is handled where its
   * exit is). Not for the dispatcher: its 'exit' can come before its last message.
   */
  private nextMessage<T extends (DispatcherToSupervisor | WorkerToSupervisor)['type']>(
    child: ChildProcess,
    type: T,
    timeoutMs: number,
    who: { worker?: string; incarnation?: number },
    untilExit = false,
  ): Promise<Extract<DispatcherToSupervisor | WorkerToSupervisor, { type: T }>> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        child.off('message', listener);
        child.off('exit', onExit);
      };
      const timer =
        timeoutMs === Infinity
          ? undefined
          : setTimeout(() => {
              settle();
              reject(
                new InfrastructureError(
                  localized('childNotReady', {
                    ...who,
                    pid: child.pid ?? -1,
                    what: type,
                    ms: timeoutMs,
                  }),
                ),
              );
            }, timeoutMs);
      const listener = (message: DispatcherToSupervisor | WorkerToSupervisor): void => {
        if (message.type !== type) return;
        settle();
        resolve(message as Extract<DispatcherToSupervisor | WorkerToSupervisor, { type: T }>);
      };
      const onExit = (): void => {
        settle();
        reject(new ChildExited());
      };
      child.on('message', listener);
      if (untilExit) child.once('exit', onExit);
    });
  }

  /** A standby that never became the worker leaves an empty journal: it was never part of the run. */
  private removeUnusedStandbyJournals(): void {
    for (const { worker, incarnation } of this.standbysStarted) {
      const path = join(this.plan.runDir, workerJournalFile(worker, incarnation));
      try {
        if (statSync(path).size === 0) unlinkSync(path);
      } catch {
        // Not there (it never opened its journal): nothing to remove.
      }
    }
  }

  /** Stops every child: a polite `stop`, then SIGKILL for whoever is still there after the grace. */
  private async stopAll(): Promise<void> {
    this.stopping = true;
    for (const slot of this.workers) clearTimeout(slot.restartTimer);
    for (const timer of this.thawTimers) clearTimeout(timer);
    // A frozen worker could not take the stop: it is continued first (and told nothing, so it
    // does not go on with its message: the run is over).
    for (const child of [...this.frozen, ...this.liveFrozen]) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
    }
    this.frozen.clear();
    this.liveFrozen.clear();
    const exits = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) =>
          child.exitCode !== null || child.signalCode !== null
            ? resolve()
            : child.once('exit', () => resolve()),
        ),
    );
    for (const child of this.children) send(child, { type: 'stop' });
    const grace = setTimeout(() => {
      for (const child of this.children) this.kill(child);
    }, STOP_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(grace);
  }
}

function send(child: ChildProcess, message: SupervisorToChild): void {
  if (child.connected) child.send(message, (error) => void error);
}

/** A child died before the message it was awaited for; its exit handler says what that means. */
class ChildExited extends Error {}

/**
 * The crash a worker journalled just before it died, if its last event is one, with the index of
 * the fault spec that fired it.
 */
function lastCrash(
  journalPath: string,
): { point: string; epoch: number; attempt?: number; fault?: number } | undefined {
  try {
    const size = statSync(journalPath).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    const fd = openSync(journalPath, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const lines = buffer.toString('utf8').trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1] ?? '{}') as {
      kind?: string;
      point?: string;
      epoch?: number;
      attempt?: number;
      fault?: number;
    };
    return last.kind === 'crash' && last.point && last.epoch
      ? { point: last.point, epoch: last.epoch, attempt: last.attempt, fault: last.fault }
      : undefined;
  } catch {
    return undefined;
  }
}
