import { closeSync, openSync, writeSync } from 'node:fs';
import { nowMs } from '../util/clock.js';
import type { CrashPoint, Direction } from '../faults/spec.js';

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
  | { t: number; kind: 'send'; epoch: number; attempt: number }
  | { t: number; kind: 'ack'; epoch: number; attempt: number; worker: string }
  | { t: number; kind: 'timeout'; epoch: number; attempt: number; retry: boolean }
  | {
      t: number;
      kind: 'fault';
      fault: 'drop' | 'delay';
      direction: Direction;
      epoch: number;
      attempt: number;
      ms?: number;
    }
  // Worker
  | { t: number; kind: 'receive'; epoch: number; attempt: number; worker: string }
  | { t: number; kind: 'skip'; epoch: number; attempt: number; worker: string }
  | { t: number; kind: 'mark'; epoch: number; attempt: number; worker: string }
  | { t: number; kind: 'reply'; epoch: number; attempt: number; worker: string }
  | { t: number; kind: 'crash'; point: CrashPoint; epoch: number; attempt: number; worker: string }
  // Supervisor
  | { t: number; kind: 'worker-start'; worker: string; incarnation: number; pid: number }
  | {
      t: number;
      kind: 'worker-exit';
      worker: string;
      incarnation: number;
      code: number | null;
      signal: string | null;
      expected: boolean;
    }
  | { t: number; kind: 'run-end'; status: string };

/** An event without its timestamp, as callers write it. */
export type JournalEntry = JournalEvent extends infer E
  ? E extends JournalEvent
    ? Omit<E, 't'>
    : never
  : never;

/** Appends JSON lines to a file with one write(2) each (see above for why that is durable enough). */
class JsonLinesFile {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  write(record: object): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify(record) + '\n');
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export class Journal {
  private readonly file: JsonLinesFile;

  constructor(path: string) {
    this.file = new JsonLinesFile(path);
  }

  append(entry: JournalEntry): void {
    this.file.write({ t: nowMs(), ...entry });
  }

  close(): void {
    this.file.close();
  }
}

/**
 * One executed effect. The ledger is where the work's effect lands (the "database" the work writes
 * to); the checker counts executions here, not in the journal.
 */
export interface EffectRecord {
  t: number;
  epoch: number;
  attempt: number;
  worker: string;
}

/** The effect ledger of one worker process: append-only JSON lines, written like the journal. */
export class EffectLedger {
  private readonly file: JsonLinesFile;

  constructor(path: string) {
    this.file = new JsonLinesFile(path);
  }

  record(epoch: number, attempt: number, worker: string): void {
    const record: EffectRecord = { t: nowMs(), epoch, attempt, worker };
    this.file.write(record);
  }

  close(): void {
    this.file.close();
  }
}
