/**
 * Which language the terminal output speaks. Chosen once per command (the `--lang` flag, else the
 * locale, else English) and read by every renderer and by the CLI's error printer. JSON output
 * never consults it: field names and values stay English for scripts.
 */
export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The languages other than the source language, English: the ones a lesson file may translate. */
export const TRANSLATED_LANGUAGES = ['pt-BR'] as const satisfies readonly Exclude<Language, 'en'>[];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language SEMLAB_LANG names (en, pt-BR), else the one the POSIX locale asks for. LC_ALL overrides LC_MESSAGES, which overrides LANG; the
 * first one set decides, as in setlocale(3). Any Portuguese locale (pt_BR.UTF-8, pt_PT, pt) gets
 * Brazilian Portuguese, the only Portuguese we have; everything else, C and POSIX included, English.
 */
export function languageFromEnv(env: NodeJS.ProcessEnv): Language {
  // SEMLAB_LANG, for the tool alone, wins over the locale (a classroom machine in English).
  const own = env.SEMLAB_LANG?.trim();
  const chosen = own
    ? LANGUAGES.find((lang) => lang.toLowerCase() === own.toLowerCase())
    : undefined;
  if (chosen) return chosen;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value?.trim());
  return locale && /^pt([_.@-]|$)/i.test(locale.trim()) ? 'pt-BR' : 'en';
}

/** `--lang` if given (case-insensitive: pt-br works), else the locale. Undefined: not a language. */
export function chooseLanguage(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): Language | undefined {
  if (flag === undefined) return languageFromEnv(env);
  return LANGUAGES.find((lang) => lang.toLowerCase() === flag.trim().toLowerCase());
}

let current: Language = languageFromEnv(process.env);

/** Set once by the CLI after it parsed `--lang`; the default is the locale's language. */
export function setLanguage(lang: Language): void {
  current = lang;
}

export function currentLanguage(): Language {
  return current;
}
