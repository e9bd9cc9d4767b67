import { en } from './en.js';
import { currentLanguage, type Language } from './language.js';
import { ptBR } from './pt-br.js';

export type { Catalog } from './en.js';
import type { Catalog } from './en.js';

const CATALOGS: Readonly<Record<Language, Catalog>> = { en, 'pt-BR': ptBR };

export function catalogFor(lang: Language): Catalog {
  return CATALOGS[lang];
}

/** The messages of the language the CLI chose (./language.ts). */
export function messages(): Catalog {
  return CATALOGS[currentLanguage()];
}

/** The catalog entries that are messages with parameters, usable as an error's text. */
export type MessageKey = {
  [K in keyof Catalog]: Catalog[K] extends (params: never) => string ? K : never;
}[keyof Catalog];

export type MessageParams<K extends MessageKey> = Parameters<Catalog[K]>[0];

/**
 * A message not yet put into words: its key and parameters. Errors carry one, so the CLI prints
 * them in the reader's language, while `error.message` stays the English text.
 */
export interface LocalizedText<K extends MessageKey = MessageKey> {
  readonly key: K;
  readonly params: MessageParams<K>;
}

export function localized<K extends MessageKey>(
  key: K,
  params: MessageParams<K>,
): LocalizedText<K> {
  return { key, params: shortened(params) };
}

/**
 * Parameters that repeat what the user typed or wrote. They are shortened to {@link ECHO_MAX}
 * characters, so a multi-megabyte value cannot turn one error line into megabytes; every other
 * string parameter (a path, a cause) to {@link OTHER_MAX}. Control characters are escaped in all
 * of them: a value with a newline must not make the message two lines.
 */
const ECHOED = new Set([
  'text',
  'found',
  'name',
  'target',
  'point',
  'suggestion',
  'option',
  'command',
  'argument',
  'url',
  'brokers',
  'answer',
]);
export const ECHO_MAX = 60;
const OTHER_MAX = 300;

function shortened<P>(params: P): P {
  if (params === null || typeof params !== 'object') return params;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const max = ECHOED.has(key) ? ECHO_MAX : OTHER_MAX;
    out[key] =
      typeof value === 'string'
        ? clip(value, max)
        : Array.isArray(value)
          ? value.map((item: unknown) => (typeof item === 'string' ? clip(item, max) : item))
          : value;
  }
  return out as P;
}

/** One line of at most `max` characters: control characters escaped, the rest cut with "…". */
export function clip(text: string, max = ECHO_MAX): string {
  // Cut before escaping: escaping a multi-megabyte string only to drop most of it is waste.
  const head = text.length > max ? text.slice(0, max * 2) : text;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  const escaped = head.replace(/[\u0000-\u001f\u007f-\u009f]/g, escapeControl);
  return escaped.length > max || text.length > head.length
    ? `${escaped.slice(0, max - 1)}…`
    : escaped;
}

export function renderText(text: LocalizedText, catalog: Catalog = messages()): string {
  // The key and its parameters were checked together when the text was made (localized()).
  return (catalog[text.key] as (params: unknown) => string)(text.params);
}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(c: string): string {
  return CONTROL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
