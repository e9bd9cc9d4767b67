import type { ChalkInstance } from 'chalk';
import { messages } from '../i18n/catalog.js';
import type { Counts } from '../report/checker.js';
import { InterruptedError } from '../shared/errors.js';

/** What the live view's `q` passes to the supervisor as the "signal" that stopped the run. */
export const QUIT_KEY = 'q (quit)';

/**
 * A run stopped with the live view's `q` (not a signal: semlab goes on, in the lab or class
 * mode). It carries the counts so far, read by the same checker from the journals the run left,
 * as `semlab trace` reads a run that has not ended: partial, the epochs never settled make no
 * loss and no verdict (Counts.unsettled). `partial` is undefined when they could not be read.
 */
export class RunStoppedError extends InterruptedError {
  constructor(readonly partial: Counts | undefined) {
    super(QUIT_KEY);
  }
}

/** The one line a stopped run gets: "run stopped", with its partial counts when there are some. */
export function renderStopped(error: InterruptedError, colour: ChalkInstance): string {
  const t = messages().lab;
  if (!(error instanceof RunStoppedError) || !error.partial) return colour.yellow(t.stopped);
  const c = error.partial;
  return colour.yellow(
    t.stoppedPartial({
      settled: c.messages - c.unsettled,
      messages: c.messages,
      sent: c.sent,
      delivered: c.delivered,
      executed: c.executed,
      lost: c.lost,
      twice: c.duplicateExecutions,
    }),
  );
}
