/**
 * semlab's journal lines, written by a raw loop: the bench's "raw loop, journalled" figure. The raw
 * sender writes what semlab's dispatcher writes (a `send` line per message, on file before it
 * leaves; an `ack` line per ack, group-committed), and each raw consumer what a semlab worker's
 * burst path writes (`receive`, `execute` and `reply` per message, one write(2) per pop), through
 * semlab's own Journal, opened with the same options. Nothing else of semlab is added, so the gap
 * between this loop and the raw one is what durable counts alone cost: the ceiling of what semlab
 * can reach on that transport while it keeps them.
 *
 * Lines carry the virtual instant `vt` as on semlab's default clock; a raw loop has no clock, so it
 * is a constant, and the lines are as long as a short run's.
 */
import { join } from 'node:path';
import { Journal } from '../core/journal.js';

/** What a raw loop's lines say for `vt`: an instant of a short run. */
const RAW_INSTANT = 405;

export class RawSenderJournal {
  private readonly journal: Journal;

  constructor(dir: string) {
    // As src/core/dispatcher-main.ts opens the dispatcher's journal.
    this.journal = new Journal(join(dir, 'dispatcher.jsonl'), {
      commit: { groupMs: 5 },
      virtualNow: () => RAW_INSTANT,
    });
  }

  sent(epoch: number): void {
    this.journal.appendStep('send', epoch, 1);
  }

  /** Before what was sent leaves the process: its send lines are on file first, as in semlab. */
  beforeLeaving(): void {
    this.journal.commit();
  }

  acked(epoch: number, attempt: number, worker: string): void {
    this.journal.appendStep('ack', epoch, attempt, worker);
  }

  close(): void {
    this.journal.close();
  }
}

export class RawWorkerJournal {
  private readonly journal: Journal;

  constructor(
    dir: string,
    private readonly worker: string,
  ) {
    // As src/core/worker-main.ts opens a worker's journal.
    this.journal = new Journal(join(dir, `${worker}.0.jsonl`), {
      commit: 'explicit',
      virtualNow: () => RAW_INSTANT,
    });
  }

  /** One pop's messages, as a semlab worker's burst path journals them, with one write(2). */
  burst(messages: readonly { readonly epoch: number; readonly attempt: number }[]): void {
    for (const { epoch, attempt } of messages)
      this.journal.appendHandled(epoch, attempt, this.worker);
    this.journal.commit();
  }
}
