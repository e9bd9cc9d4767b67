import { catalogFor, localized, renderText, type LocalizedText } from '../i18n/catalog.js';

/**
 * Errors that carry their meaning for the user. Every layer throws these; only the CLI maps them
 * to exit codes (src/cli/exit-codes.ts), so the mapping lives in one place.
 *
 * A message given as a catalog key and parameters (src/i18n) is printed in the reader's language;
 * `error.message` is always its English text, for logs and tests.
 */
export type ErrorKind = 'usage' | 'infrastructure' | 'interrupted' | 'expectation';

export type ErrorText = string | LocalizedText;

export class SemlabError extends Error {
  /** The message as a catalog key and parameters; absent for the few still written in English. */
  readonly text?: LocalizedText;

  constructor(
    readonly kind: ErrorKind,
    message: ErrorText,
    options?: { cause?: unknown },
  ) {
    super(typeof message === 'string' ? message : renderText(message, catalogFor('en')), options);
    this.name = 'SemlabError';
    if (typeof message !== 'string') this.text = message;
  }

  /** The message in the chosen language (src/i18n/language.ts). */
  localizedMessage(): string {
    return this.text ? renderText(this.text) : this.message;
  }
}

/** Bad input from the user: unknown names, values out of range, malformed files. */
export class UsageError extends SemlabError {
  constructor(message: ErrorText) {
    super('usage', message);
  }
}

/** A transport, store or process that failed under us: unreachable server, stalled run, crash. */
export class InfrastructureError extends SemlabError {
  constructor(message: ErrorText, options?: { cause?: unknown }) {
    super('infrastructure', message, options);
  }
}

/** The user asked us to stop (Ctrl-C, SIGTERM, q in the live view) or the terminal closed (SIGHUP). */
export class InterruptedError extends SemlabError {
  constructor(readonly signal: string) {
    super('interrupted', localized('interrupted', { signal }));
  }
}

/**
 * A student's worker program broke the worker protocol (docs/worker-protocol.md): bad input, named
 * with the line it printed. `semlab grade` reports it as the grade's verdict.
 */
export class WorkerProtocolError extends UsageError {}

/**
 * Several mistakes of one scenario file, each its own message with file, line and field; the CLI
 * prints one `semlab:` line for each (src/cli/main.ts). It lives here, not beside
 * the loader, so the CLI can recognise it without loading the YAML parser and zod. Its message is the first one's English.
 */
export class ScenarioErrors extends UsageError {
  constructor(readonly texts: readonly LocalizedText[]) {
    super(texts[0] as LocalizedText);
  }
}
