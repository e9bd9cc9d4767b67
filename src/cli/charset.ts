/**
 * How the terminal gets the sequence diagram of `semlab trace`: `ascii` glyphs instead of
 * box-drawing lines and symbols when the locale is not UTF-8 (LC_ALL, else LC_CTYPE, else LANG,
 * as setlocale(3) picks; none set is the C locale) and with NO_COLOR, which asks for plain
 * output; `transliterate` (accents dropped too) only when the locale is not UTF-8, since a UTF-8
 * terminal shows "época" whatever NO_COLOR says.
 */
export function diagramCharset(env: NodeJS.ProcessEnv = process.env): {
  ascii: boolean;
  transliterate: boolean;
} {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value?.trim());
  const utf8 = locale !== undefined && /utf-?8/i.test(locale);
  return { ascii: !utf8 || Boolean(env.NO_COLOR), transliterate: !utf8 };
}
