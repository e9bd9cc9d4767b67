import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { readFileSync } from 'node:fs';
import { clip, localized, renderText } from '../i18n/catalog.js';
import { chooseLanguage, currentLanguage, LANGUAGES, setLanguage } from '../i18n/language.js';
import { runsRoot } from '../core/run-folder.js';
import { InterruptedError, ScenarioErrors, SemlabError, UsageError } from '../shared/errors.js';
import { systemFailure } from '../shared/system-error.js';
import { silenceCommanderErrors, usageErrorFromCommander } from './commander-errors.js';
import { classCommand } from './commands/class.js';
import { compareCommand } from './commands/compare.js';
import { kafkaCommand } from './commands/kafka.js';
import { labCommand, runLab } from './commands/lab.js';
import { runCommand } from './commands/run.js';
import { reportCommand } from './commands/report.js';
import { runsCommand } from './commands/runs.js';
import { scenariosCommand } from './commands/scenarios.js';
import { traceCommand } from './commands/trace.js';
import { gradeCommand } from './commands/grade.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { localizeHelp } from './localize-help.js';
import { installSignalHandling, onSignalOutsideRun } from './signals.js';

/**
 * The CLI: commander wiring only. Each command lives in ./commands; every error becomes an exit
 * code in one place (./exit-codes.ts) and a one-line message on stderr.
 */
const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

const program = new Command('semlab')
  .description(
    'A lab for seeing message delivery semantics: real processes, real transports, injected faults, exact counts.',
  )
  .version(packageJson.version)
  // A global option, so it goes anywhere on the line: `semlab --lang pt-BR run ...` or
  // `semlab run ... --lang pt-BR`; every subcommand's help shows it.
  .addOption(
    new Option(
      '--lang <language>',
      `language of the output: ${LANGUAGES.join(', ')} (default: from LC_ALL, LC_MESSAGES or LANG, else en); --json stays English`,
    ),
  )
  .configureHelp({ showGlobalOptions: true })
  .hook('preAction', (self) => {
    // The one place the language is chosen. Until here it is the locale's, which is also the
    // language of the error below.
    const flag = self.opts().lang;
    const lang = chooseLanguage(flag, process.env);
    if (!lang) {
      throw new UsageError(
        localized('notOneOf', { flag: '--lang', found: flag ?? '', allowed: LANGUAGES }),
      );
    }
    setLanguage(lang);
  })
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .showSuggestionAfterError(true)
  .addCommand(runCommand())
  .addCommand(compareCommand())
  .addCommand(scenariosCommand())
  .addCommand(traceCommand())
  .addCommand(runsCommand())
  .addCommand(labCommand())
  .addCommand(reportCommand())
  .addCommand(gradeCommand())
  .addCommand(classCommand())
  .addCommand(kafkaCommand())
  .addHelpText(
    'after',
    `
Exit codes: 0 run completed (a broken promise is a result), 1 a scenario's expect block was not
met, 2 bad input, 3 transport or infrastructure failure, 129 terminal closed (SIGHUP), 130
interrupted (Ctrl-C or SIGTERM).

Examples:
  $ semlab run at-least-once
  $ semlab run exactly-once --drop-ack 0.2 --seed 7
  $ semlab scenarios
  $ semlab compare ack-loss --semantics all
  $ semlab trace --anomalies
  $ semlab kafka describe
  $ semlab run --help`,
  );

for (const command of program.commands) command.exitOverride();
silenceCommanderErrors(program);

// bin/semlab installed these before loading this module; again here for any other way in.
installSignalHandling();
// A signal outside a run (while parsing, between the runs of a scenario, in `semlab runs`): there
// is nothing to stop or clean up, only the line to print.
onSignalOutsideRun((signal) => {
  const error = new InterruptedError(signal);
  process.stderr.write(`semlab: ${error.localizedMessage()}\n`);
  process.exit(exitCodeFor(error));
});

// `semlab run ... | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  fail(error);
});
// The last net: whatever escapes (a stream's 'error' event, a promise nobody awaited) still ends
// as one line and an exit code, never a stack trace.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

function fail(error: unknown): never {
  report(error);
  process.exit(process.exitCode ?? EXIT.infrastructure);
}

/** Prints the one `semlab:` line for an error and sets the exit code that goes with it. */
function report(error: unknown): void {
  let shown = error;
  if (error instanceof CommanderError) {
    languageFromArgv();
    shown = usageErrorFromCommander(error, helpCommand());
  }
  if (shown instanceof ScenarioErrors) {
    // Several mistakes of one scenario file: a line each, all at once.
    for (const text of shown.texts)
      process.stderr.write(`semlab: ${clip(renderText(text), 2000)}\n`);
    process.exitCode = exitCodeFor(shown);
    return;
  }
  const failure = systemFailure(shown);
  const message =
    shown instanceof SemlabError
      ? shown.localizedMessage()
      : failure
        ? renderText(localized('systemFailure', failure))
        : renderText(localized('unexpected', { message: firstLine(shown) }));
  // One line, whatever a message holds: a newline in it would look like two errors.
  process.stderr.write(`semlab: ${clip(message, 2000)}\n`);
  if (process.env.SEMLAB_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = shown instanceof SemlabError ? exitCodeFor(shown) : EXIT.infrastructure;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0] ?? '';
}

/**
 * commander fails before the preAction hook chose the language: a valid `--lang` on the line
 * still picks the language of its error.
 */
function languageFromArgv(): void {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  if (index < 0) return;
  const arg = args[index] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  const lang = value !== undefined ? chooseLanguage(value, process.env) : undefined;
  if (lang) setLanguage(lang);
}

/** "semlab run --help" for the command on the line, "semlab --help" without one. */
function helpCommand(): string {
  const name = process.argv.slice(2).find((arg) => program.commands.some((c) => c.name() === arg));
  return name ? `semlab ${name} --help` : 'semlab --help';
}

async function main(): Promise<void> {
  try {
    // Help is printed while the line is parsed, before the preAction hook picks the language.
    languageFromArgv();
    localizeHelp(program, currentLanguage(), runsRoot());
    if (process.argv.length <= 2) {
      // `semlab` alone: the lab for a person at a terminal; help for a pipe or CI, which would
      // otherwise wait for keys that never come.
      if (process.stdin.isTTY && process.stdout.isTTY) await runLab(process.stdin, process.stdout);
      else program.outputHelp();
      process.exitCode = EXIT.ok;
      return;
    }
    await program.parseAsync(process.argv);
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (
      error instanceof CommanderError &&
      (error.exitCode === 0 || error.code === 'commander.help')
    ) {
      // Help and version are "errors" to commander; they already printed what they had to.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    report(error);
  }
}

await main();
// A pipe takes 64 KiB at a time; the rest of a long output (`semlab trace | less`) waits in this
// process's queue, and exiting before it drains would cut the output short.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
// Exit now rather than when every handle has closed: a client library's reconnect timer must not
// keep a finished (or failed) command alive.
process.exit(process.exitCode ?? EXIT.ok);

function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('drain', resolve);
    stream.once('error', () => resolve());
    stream.once('close', resolve);
  });
}
