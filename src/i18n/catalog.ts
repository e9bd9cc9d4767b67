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
  return { key, params };
}

export function renderText(text: LocalizedText, catalog: Catalog = messages()): string {
  // The key and its parameters were checked together when the text was made (localized()).
  return (catalog[text.key] as (params: unknown) => string)(text.params);
}
