/**
 * Errors that carry their meaning for the user. Every layer throws these; only the CLI maps them
 * to exit codes (src/cli/exit-codes.ts), so the mapping lives in one place.
 */
export type ErrorKind = 'usage' | 'infrastructure' | 'interrupted' | 'expectation';

export class SemlabError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SemlabError';
  }
}

/** Bad input from the user: unknown names, values out of range, malformed files. */
export class UsageError extends SemlabError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** A transport, store or process that failed under us: unreachable server, stalled run, crash. */
export class InfrastructureError extends SemlabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('infrastructure', message, options);
  }
}

/** The user asked us to stop (Ctrl-C, SIGTERM). */
export class InterruptedError extends SemlabError {
  constructor(signal: string) {
    super('interrupted', `interrupted by ${signal}; every child process was stopped`);
  }
}
