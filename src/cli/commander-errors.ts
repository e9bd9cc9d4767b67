import type { CommanderError } from '@commander-js/extra-typings';
import { localized, type LocalizedText } from '../i18n/catalog.js';
import { UsageError } from '../shared/errors.js';

/**
 * commander's own errors ("error: unknown option '--droop-ack'" and, on a second line, "(Did you
 * mean --drop-ack?)") reworded as one catalog message, so they print like every other error: one
 * `semlab:` line, in the chosen language, exit code 2. commander prints nothing itself
 * (`silenceCommanderErrors`); its message is parsed here, keyed by its stable error code.
 */
export function usageErrorFromCommander(error: CommanderError, helpCommand: string): UsageError {
  return new UsageError(commanderText(error, helpCommand));
}

function commanderText(error: CommanderError, help: string): LocalizedText {
  const message = error.message.replace(/^error: /, '');
  // commander appends its suggestion on a line of its own: "(Did you mean --drop-ack?)".
  const [first = '', ...rest] = message.split('\n');
  const suggestion = /^\(Did you mean (?:one of )?(.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  const quoted = /'(.*)'/s.exec(first)?.[1] ?? first;
  switch (error.code) {
    case 'commander.unknownOption':
      return localized('unknownOption', { option: quoted, suggestion, help });
    case 'commander.unknownCommand':
      return localized('unknownCommand', { command: quoted, suggestion });
    case 'commander.missingArgument':
      return localized('missingArgument', { argument: quoted, help });
    case 'commander.optionMissingArgument':
      return localized('optionMissingArgument', { option: quoted });
    case 'commander.excessArguments': {
      const numbers = /Expected (\d+) arguments? but got (\d+)/.exec(first);
      const command = /for '([^']*)'/.exec(first)?.[1] ?? 'semlab';
      if (numbers) {
        return localized('excessArguments', {
          command,
          expected: Number(numbers[1]),
          got: Number(numbers[2]),
        });
      }
      break;
    }
  }
  return localized('commandLine', { text: [first, ...rest].join(' ') });
}

/** commander prints nothing; the CLI's one printer says it (src/cli/main.ts). */
export function silenceCommanderErrors(command: CommandTree): void {
  command.configureOutput({ outputError: () => undefined });
  for (const sub of command.commands) silenceCommanderErrors(sub);
}

/** The part of a commander Command this needs, whatever its typed arguments and options. */
interface CommandTree {
  configureOutput(config: { outputError: () => void }): unknown;
  readonly commands: readonly CommandTree[];
}
