import { Help, type Command } from '@commander-js/extra-typings';
import type { EventEmitter } from 'node:events';
import {
  PT_ARGUMENTS,
  PT_COMMANDS,
  PT_HELP_TITLES,
  PT_OPTIONS,
  ptHelpAfter,
} from './help-pt-br.js';
import type { Language } from '../i18n/language.js';

/**
 * Puts a command tree's `--help` into the reader's language before commander parses the line
 * (help is printed during parsing, before any action runs). Only Brazilian Portuguese has a
 * translation; English is the source and stays as written in each command. A text with no entry
 * in ./help-pt-br.ts (an option added later) keeps its English.
 */
export function localizeHelp(root: CommandNode, lang: Language, runsRoot: string): void {
  if (lang !== 'pt-BR') return;
  walk(root, true, runsRoot);
}

function walk(command: CommandNode, isRoot: boolean, runsRoot: string): void {
  const name = isRoot ? 'semlab' : command.name();
  const description = PT_COMMANDS[name];
  if (description) command.description(description);
  for (const argument of command.registeredArguments) {
    const text = PT_ARGUMENTS[`${name}:${argument.name()}`];
    if (text) argument.description = text;
  }
  for (const option of command.options) {
    // A command's own meaning of a flag ("grade:--messages") before the flag's common one.
    const text = option.long
      ? (PT_OPTIONS[`${name}:${option.long}`] ?? PT_OPTIONS[option.long])
      : undefined;
    if (text) option.description = text;
  }
  command.helpOption('-h, --help', PT_OPTIONS['--help']);
  // Only where commander shows one: naming it on a leaf command would add it there.
  if (command.commands.length > 0) command.helpCommand('help [comando]', PT_COMMANDS.help);
  const after = ptHelpAfter(name, runsRoot);
  if (after !== undefined) {
    // The English text after the options is an 'afterHelp' listener; the Portuguese replaces it.
    (command as unknown as EventEmitter).removeAllListeners('afterHelp');
    command.addHelpText('after', after);
  }
  command.configureHelp({
    ...command.configureHelp(),
    styleTitle: (title: string) => PT_HELP_TITLES[title] ?? title,
    // commander's own "(default: …)" and "(choices: …)" inside a description.
    optionDescription: (option) =>
      ptDefaults(Help.prototype.optionDescription.call(new Help(), option)),
    commandUsage: (cmd) =>
      Help.prototype.commandUsage
        .call(new Help(), cmd)
        .replace('[options]', '[opções]')
        .replace('[command]', '[comando]'),
    subcommandTerm: (cmd) =>
      Help.prototype.subcommandTerm.call(new Help(), cmd).replace('[options]', '[opções]'),
  });
  for (const sub of command.commands) walk(sub, false, runsRoot);
}

function ptDefaults(text: string): string {
  return text.replace('(default: ', '(padrão: ').replace('(choices: ', '(valores: ');
}

/** Any commander command, whatever its typed arguments and options. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command of the tree
type CommandNode = Command<any, any, any>;
