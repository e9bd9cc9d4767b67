import { InterruptedError, SemlabError } from '../shared/errors.js';

/**
 * Exit codes, documented in the README. A run that completed exits 0 even when the preset broke its
 * promise: a broken promise is the lesson's result, not an error.
 */
export const EXIT = {
  ok: 0,
  /** A scenario's `expect` block was not met. */
  expectationFailed: 1,
  /** Bad input: unknown names, values out of range, malformed files. */
  usage: 2,
  /** A transport, store or process failed: unreachable server, stalled run, crashed dispatcher. */
  infrastructure: 3,
  /** The terminal closed (SIGHUP): the shell's 128 + 1. */
  hangup: 129,
  /** Ctrl-C or SIGTERM. */
  interrupted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof SemlabError) {
    switch (error.kind) {
      case 'usage':
        return EXIT.usage;
      case 'infrastructure':
        return EXIT.infrastructure;
      case 'interrupted':
        return error instanceof InterruptedError && error.signal === 'SIGHUP'
          ? EXIT.hangup
          : EXIT.interrupted;
      case 'expectation':
        return EXIT.expectationFailed;
    }
  }
  return EXIT.infrastructure;
}
