/**
 * English words and phrases that must not be left on a screen shown under --lang pt-BR. They are
 * chosen so that none of them is Portuguese, a semantics name, a flag or a JSON field: a hit is an
 * untranslated text, never a false alarm. Matched as whole words, case-insensitively.
 */
export const ENGLISH_SENTINELS = [
  'the',
  'of',
  'and',
  'with',
  'run',
  'runs',
  'over',
  'workers',
  'messages',
  'lost',
  'dropped',
  'killed',
  'held',
  'broken',
  'verdict',
  'lesson',
  'lessons',
  'guess',
  'observed',
  'next',
  'quit',
  'options',
  'usage',
  'display',
  'help for command',
  'default',
  'expected',
  'duplicateExecutions',
  'error',
] as const;

/** The sentinels found in `text` (escape codes removed), with a few characters around each. */
export function englishLeft(text: string): string[] {
  const plain = text
    // eslint-disable-next-line no-control-regex -- escape codes are not words
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    // The allow-list: flags, placeholders, example command lines, command and semantics names,
    // JSON and env names are what the user types, so they stay as typed.
    .replace(/^\s*\$ .*$/gm, '')
    .replace(/--[a-z][a-z-]*/g, '')
    .replace(/\S*\/\S*/g, '')
    .replace(/\b[A-Z][A-Z_]{2,}\b/g, '')
    .replace(/<[^>\s]+>/g, '')
    .replace(/\bsemlab (run|runs|compare|scenarios|trace|lab|class|help)\b/g, 'semlab')
    .replace(/^(\s*)(run|runs|compare|scenarios|trace|lab|class|help) /gm, '$1')
    .replace(/\[(target|scenario|run|lesson)\]/g, '')
    .replace(/^\s*(target|scenario|run|lesson|command)\s{2,}/gm, '');
  const found: string[] = [];
  for (const word of ENGLISH_SENTINELS) {
    const re = new RegExp(`(?<![\\p{L}\\-])${word.replace(/ /g, '\\s+')}(?![\\p{L}\\-])`, 'giu');
    for (const m of plain.matchAll(re)) {
      found.push(
        `${word}: …${plain.slice(Math.max(0, m.index - 25), m.index + word.length + 25)}…`,
      );
    }
  }
  return found;
}
