import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { nowMicros } from '../clock/wall-clock.js';
import type { FaultEntry } from '../faults/faulty-link.js';
import type { LiveSwitch } from '../faults/spec.js';
import type { CrashPoint } from '../faults/spec.js';
import type { EffectSink } from '../shared/records.js';
import type { PartitionState } from '../transports/kafka/cluster-view.js';
import { ascii, LineBytes } from './line-bytes.js';

export type { EffectRecord } from '../shared/records.js';

/**
 * The durable journal: every process appends what it does, one JSON object per line, to a file of
 * its own in the run's folder. Counts are derived from these files afterwards, never from a
 * process's memory (processes crash).
 *
 * Each event is written with one write(2) before the process takes its next step, and no
 * user-space buffer: the kernel holds the bytes the moment the call returns, so a `kill -9` at any
 * later instant cannot take them back. (A machine crash could: fsync per event would cost far more
 * than the lesson needs; the run folder is a lab notebook, not a bank.)
 */
export type JournalEvent =
  // Dispatcher
  (
    | { t: number; kind: 'send'; epoch: number; attempt: number }
    | { t: number; kind: 'ack'; epoch: number; attempt: number; worker: string }
    | { t: number; kind: 'timeout'; epoch: number; attempt: number; retry: boolean }
    | ({ t: number } & FaultEntry)
    // Worker
    | { t: number; kind: 'receive'; epoch: number; attempt: number; worker: string }
    // The effect itself: the worker journals' `execute` events are the effect ledger.
    | { t: number; kind: 'execute'; epoch: number; attempt: number; worker: string }
    | { t: number; kind: 'skip'; epoch: number; attempt: number; worker: string }
    | { t: number; kind: 'mark'; epoch: number; attempt: number; worker: string }
    | { t: number; kind: 'reply'; epoch: number; attempt: number; worker: string }
    // Worker, --work-ms: handling this delivery takes `ms` (the run's spec at index `spec`).
    | {
        t: number;
        kind: 'work';
        epoch: number;
        attempt: number;
        worker: string;
        ms: number;
        spec: number;
      }
    | {
        t: number;
        kind: 'crash';
        point: CrashPoint;
        epoch: number;
        attempt: number;
        worker: string;
        /** Index in the plan's faults of the crash spec that fired (absent in older journals). */
        fault?: number;
      }
    // Worker, --pause: frozen at `point` for `ms` (the run's spec at index `fault`), from here.
    | {
        t: number;
        kind: 'pause';
        point: CrashPoint;
        epoch: number;
        attempt: number;
        worker: string;
        ms: number;
        fault: number;
      }
    // Supervisor
    | { t: number; kind: 'worker-start'; worker: string; incarnation: number; pid: number }
    // Supervisor: a worker process stopped (SIGSTOP) and continued (SIGCONT): --pause, or a key.
    | {
        t: number;
        kind: 'worker-stop';
        worker: string;
        incarnation: number;
        pid: number;
        live?: true;
      }
    | { t: number; kind: 'worker-cont'; worker: string; incarnation: number; pid: number }
    | {
        t: number;
        kind: 'worker-exit';
        worker: string;
        incarnation: number;
        code: number | null;
        signal: string | null;
        /** The end of the run: it left when asked, or the supervisor killed it. Else a death. */
        expected: boolean;
        /**
         * The death was semlab's doing: the incarnation's journal ends in a crash that fired, or
         * it was killed from the live view. A death that is not is a kill from outside. Absent in
         * journals written before semlab told them apart.
         */
        injected?: boolean;
      }
    | { t: number; kind: 'run-end'; status: string }
    // Dispatcher: a live switch (a key in the live view) turned on or off.
    // On the virtual clock, `step` is the number of clock events run before it took effect: a
    // replay applies it there.
    | { t: number; kind: 'live'; switch: LiveSwitch; on: boolean; step?: number }
    // Dispatcher, virtual clock: a worker killed from the live view, at that step of the clock.
    | { t: number; kind: 'live-kill'; worker: string; step: number }
    // Dispatcher, virtual clock: a worker frozen (on) or thawed from the live view, at that step.
    | { t: number; kind: 'live-freeze'; worker: string; on: boolean; step: number }
    // Dispatcher: a worker cut off from it (on) or reconnected from the live view (step: virtual).
    | { t: number; kind: 'live-cut'; worker: string; on: boolean; step?: number }
    // Supervisor: a worker killed (SIGKILL) with a key in the live view.
    | { t: number; kind: 'live-crash'; worker: string; incarnation: number; pid: number }
    // Supervisor, --crash-broker: a Kafka broker killed with SIGKILL, and started again.
    | {
        t: number;
        kind: 'broker-crash';
        nodeId: number;
        address: string;
        pid: number;
        /** The dispatcher's acked count that triggered the crash. */
        acked: number;
      }
    | {
        t: number;
        kind: 'broker-restart';
        nodeId: number;
        address: string;
        pid: number;
        /** False when the run was interrupted: the node was started, not waited for. */
        ready: boolean;
      }
    // Supervisor, --crash-broker: the run's partitions (leader, replicas, in-sync set), journalled
    // each time they change (src/core/replica-watch.ts).
    | { t: number; kind: 'kafka-replicas'; partitions: PartitionState[] }
  ) & {
    /** Runs on the virtual clock: the run's instant of the event, in virtual ms. */
    vt?: number;
  };

/** An event without its timestamps, as callers write it. */
export type JournalEntry = JournalEvent extends infer E
  ? E extends JournalEvent
    ? Omit<E, 't' | 'vt'>
    : never
  : never;

/**
 * Where a journal's lines go: a file (JsonLinesFile) or, in a bench-only build, nowhere. Lines are
 * built in `lines` (each ends with its newline), and `lineDone` is called after each.
 */
interface LineSink {
  readonly lines: LineBytes;
  lineDone(): void;
  flush(): void;
  close(): void;
}

/** Appends JSON lines to a file with one write(2) each (see above for why that is durable enough). */
class JsonLinesFile implements LineSink {
  readonly lines = new LineBytes();
  private fd: number | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  /** 'each': a write per line; 'explicit': on flush(); a number: at most that many ms later. */
  constructor(
    readonly path: string,
    private readonly mode: 'each' | 'explicit' | number,
  ) {
    this.fd = openSync(path, 'a');
  }

  lineDone(): void {
    if (this.mode === 'each' || this.lines.length >= 64 * 1024) return this.flush();
    if (typeof this.mode === 'number')
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, this.mode);
  }

  /** Leaves a pending timer be (it then finds little or nothing): re-arming per flush costs more. */
  flush(): void {
    if (this.fd === undefined || this.lines.length === 0) return;
    const bytes = this.lines.view();
    // One write(2) as a rule; a short write (a full disk takes what fits) writes the rest.
    for (let written = 0; written < bytes.length;) {
      const count = writeSync(this.fd, bytes, written, bytes.length - written);
      if (count <= 0) throw new Error(`could not write to ${this.path}`);
      written += count;
    }
    this.lines.clear();
  }

  close(): void {
    if (this.fd === undefined) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The bench's "what durability costs" row (src/bench/discard-journal.ts) sets this global before
 * any semlab module loads, in the processes of that one measurement only: journals then write
 * nothing. No flag, variable or file of a normal run can set it, and every journal it empties
 * leaves `<journal>.discarded` beside it, so the CLI refuses to count such a run
 * (src/cli/execute-run.ts) instead of reporting counts that mean nothing.
 */
export const DISCARD_JOURNALS = Symbol.for('semlab.bench.discard-journals');
/** What a discarded journal leaves in place of its file. */
export const DISCARDED_SUFFIX = '.discarded';

/** Where the CLI keeps the dispatcher's outcome of a run it refused for that reason (the bench reads it). */
export const DISCARDED_OUTCOME_FILE = 'discarded-outcome.json';

/** Did any journal in this folder discard its lines (see DISCARD_JOURNALS)? */
export function journalsDiscardedIn(journalDir: string): boolean {
  try {
    return readdirSync(journalDir).some((name) => name.endsWith(DISCARDED_SUFFIX));
  } catch {
    return false;
  }
}

function discardsJournals(): boolean {
  return (globalThis as Record<symbol, unknown>)[DISCARD_JOURNALS] === true;
}

/** A sink that keeps nothing, and a marker file that says so (see DISCARD_JOURNALS). */
class DiscardedLines implements LineSink {
  readonly lines = new LineBytes();
  constructor(path: string) {
    closeSync(openSync(path + DISCARDED_SUFFIX, 'a'));
  }
  lineDone(): void {
    this.lines.clear();
  }
  flush(): void {}
  close(): void {}
}

/**
 * A process's journal, and for a worker also its effect ledger (`execute` events).
 *
 * How lines reach the file:
 * - by default, one write(2) per event;
 * - `commit: 'explicit'` (workers): events wait in memory until `commit()`, which the worker
 *   calls right after each receipt and before every step another process can see (a store call,
 *   an ack, its own death), so nothing it journalled is in memory while it awaits anything. An
 *   event still in memory when the process is killed never became visible to anyone, so the run
 *   is counted as if it never happened, which is exactly what the rest of the system saw;
 * - `commit: { groupMs }` (the dispatcher): written in groups a few milliseconds apart. Safe
 *   because the dispatcher never dies alone: if it dies the run fails (exit 3) and is not counted.
 * `close()` writes whatever is left.
 */
export class Journal implements EffectSink {
  private readonly file: LineSink;
  private readonly virtualNow: (() => number | undefined) | undefined;
  /** JSON texts of worker names as bytes, made once: the hot lines are built without them. */
  private readonly names = new Map<string, Uint8Array>();

  constructor(
    path: string,
    options: {
      commit?: 'each' | 'explicit' | { groupMs: number };
      /**
       * Runs on the virtual clock: the run's instant, written as `vt` beside the wall time `t`
       * (which still orders events across processes when journals are merged).
       */
      virtualNow?: () => number | undefined;
    } = {},
  ) {
    const commit = options.commit ?? 'each';
    this.file = discardsJournals()
      ? new DiscardedLines(path)
      : new JsonLinesFile(
          path,
          commit === 'each' ? 'each' : commit === 'explicit' ? 'explicit' : commit.groupMs,
        );
    this.virtualNow = options.virtualNow;
  }

  append(entry: JournalEntry): void {
    // "t" first, without copying the entry; the entry's text before anything is written.
    const json = JSON.stringify(entry).slice(1);
    this.stamp();
    this.file.lines.text(json);
    this.file.lines.bytes(NEWLINE);
    this.file.lineDone();
  }

  /**
   * The events written several times per message (send, ack; receive, execute, reply), written as
   * bytes (src/core/line-bytes.ts): the same bytes as `append` writes for them (a unit test holds
   * the two together), without an object, a JSON.stringify or a string per event. Epoch and
   * attempt are whole numbers.
   */
  appendStep(
    kind: 'send' | 'ack' | 'receive' | 'execute' | 'reply',
    epoch: number,
    attempt: number,
    worker?: string,
  ): void {
    const lines = this.file.lines;
    this.stamp();
    lines.bytes(KIND_EPOCH[kind]);
    lines.number(epoch);
    lines.bytes(ATTEMPT);
    lines.number(attempt);
    if (worker !== undefined) {
      lines.bytes(WORKER);
      lines.bytes(this.name(worker));
    }
    lines.bytes(END_OF_LINE);
    this.file.lineDone();
  }

  /** `{"t":<wall ms>,` and, on the virtual clock, `"vt":<instant>,`. */
  private stamp(): void {
    const lines = this.file.lines;
    lines.bytes(T);
    lines.milliseconds(nowMicros());
    const vt = this.virtualNow?.();
    if (vt === undefined) {
      lines.bytes(COMMA);
      return;
    }
    lines.bytes(VT);
    lines.number(vt);
    lines.bytes(COMMA);
  }

  private name(worker: string): Uint8Array {
    let json = this.names.get(worker);
    if (json === undefined) {
      json = ascii(JSON.stringify(worker));
      this.names.set(worker, json);
    }
    return json;
  }

  /**
   * A message handled whole by a worker's burst path, with nothing another process sees in
   * between: its `receive`, `execute` and `reply`, in that order.
   */
  appendHandled(epoch: number, attempt: number, worker: string): void {
    this.appendStep('receive', epoch, attempt, worker);
    this.appendStep('execute', epoch, attempt, worker);
    this.appendStep('reply', epoch, attempt, worker);
  }

  /** The effect of one execution, as an `execute` event (EffectSink, for stores that keep none). */
  record(epoch: number, attempt: number, worker: string): void {
    this.appendStep('execute', epoch, attempt, worker);
  }

  /** Writes the events held in memory (a no-op when each event is written at once). */
  commit(): void {
    this.file.flush();
  }

  close(): void {
    this.file.close();
  }
}

// The constant pieces of the hot lines, encoded once.
const T = ascii('{"t":');
const VT = ascii(',"vt":');
const COMMA = ascii(',');
const NEWLINE = ascii('\n');
const ATTEMPT = ascii(',"attempt":');
const WORKER = ascii(',"worker":');
const END_OF_LINE = ascii('}\n');
const KIND_EPOCH = {
  send: ascii('"kind":"send","epoch":'),
  ack: ascii('"kind":"ack","epoch":'),
  receive: ascii('"kind":"receive","epoch":'),
  execute: ascii('"kind":"execute","epoch":'),
  reply: ascii('"kind":"reply","epoch":'),
};
