import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { localized, type LocalizedText } from '../i18n/catalog.js';
import { currentLanguage } from '../i18n/language.js';
import { ScenarioErrors, UsageError } from '../shared/errors.js';

export { ScenarioErrors };
import { systemFailure } from '../shared/system-error.js';
import { closestMatch } from '../util/suggest.js';
import { EXPECTABLE_FIELDS, faultSchema, scenarioSchema, type Scenario } from './schema.js';

import { BUNDLED_SCENARIOS_DIR, bundledScenarioNames } from './names.js';

export { BUNDLED_SCENARIOS_DIR, bundledScenarioNames, looksLikeScenario } from './names.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** Where it came from, for messages. */
  readonly file: string;
}

/** Loads a scenario by bundled name or by path. */
export function loadScenario(target: string, dir = BUNDLED_SCENARIOS_DIR): LoadedScenario {
  const path = /\.ya?ml$/i.test(target) ? target : join(dir, `${target}.yaml`);
  if (!existsSync(path)) {
    const names = bundledScenarioNames(dir);
    throw new UsageError(
      localized('noScenarioFile', {
        target,
        suggestion: closestMatch(target, names),
        bundled: names,
      }),
    );
  }
  const shown = relative(process.cwd(), path).startsWith('..')
    ? path
    : relative(process.cwd(), path);
  return { scenario: parseScenario(readScenarioText(path, shown), shown), file: shown };
}

/** A lesson is a page of YAML; a file larger than this is a mistake or an attack. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/**
 * YAML aliases expanded per alias, at most (yaml's maxAliasCount): enough for any lesson, far too
 * few for a "billion laughs" file.
 */
export const MAX_YAML_ALIASES = 100;

/** The file's text, once it is known to be a readable file of a sane size. */
function readScenarioText(path: string, shown: string): string {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(localized('scenarioIsFolder', { file: shown }));
    if (stat.size > MAX_SCENARIO_BYTES) {
      throw new UsageError(
        localized('scenarioTooLarge', { file: shown, size: stat.size, max: MAX_SCENARIO_BYTES }),
      );
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = systemFailure(error)?.code ?? 'EIO';
    throw new UsageError(localized('scenarioUnreadable', { file: shown, code }));
  }
}

/**
 * Parses and validates scenario text. Every error names the file, the line, the field path, what
 * was found and what is allowed: "ack-loss.yaml:12: faults[1].direction: 'acks' is not one of work,
 * ack; did you mean 'ack'?".
 */
export function parseScenario(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw scenarioErrors(
      doc.errors.map((yamlError) => {
        const line = yamlError.linePos?.[0]?.line ?? lineCounter.linePos(yamlError.pos[0]).line;
        const what = yamlWords(yamlError.code, yamlError.message.split('\n')[0] ?? '');
        return { line, text: localized('yamlInvalid', { file, line, what }) };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // "Excessive alias count indicates a resource exhaustion attack", or an alias yaml could not
    // resolve: bad input either way, never a crash.
    const what = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new UsageError(
      /Excessive alias count/.test(what)
        ? localized('yamlAliases', { file, max: MAX_YAML_ALIASES })
        : localized('yamlInvalid', { file, line: 1, what }),
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(localized('notAMapping', { file }));
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    // Every mistake at once, in the file's order: a student with three fixes them in one go.
    throw scenarioErrors(
      parsed.error.issues.flatMap((issue) =>
        perKey(issue).map((one) => {
          const text = describeIssue(one, doc, lineCounter, file);
          return { line: (text.params as { line?: number }).line ?? 1, text };
        }),
      ),
    );
  }
  const scenario = parsed.data;
  const semantics = [scenario.semantics].flat();
  const misplaced = Object.keys(scenario.expect ?? {})
    .filter((name) => !(semantics as string[]).includes(name))
    .map((name) => {
      const line = lineOf(doc, lineCounter, ['expect', name], true);
      return { line, text: localized('expectNotAmong', { file, line, name, semantics }) };
    });
  if (misplaced.length > 0) throw scenarioErrors(misplaced);
  return scenario;
}

function scenarioErrors(found: readonly { line: number; text: LocalizedText }[]): UsageError {
  const sorted = [...found].sort((a, b) => a.line - b.line).map((f) => f.text);
  return sorted.length === 1
    ? new UsageError(sorted[0] as LocalizedText)
    : new ScenarioErrors(sorted);
}

/** zod reports all unknown keys of a mapping in one issue; each is its own mistake. */
function perKey(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'unrecognized_keys' || issue.keys.length <= 1) return [issue];
  return issue.keys.map((key) => ({ ...issue, keys: [key] }));
}

/** The yaml library's errors, by code, in the reader's language; others as the library says. */
function yamlWords(code: string, english: string): string {
  const pt = currentLanguage() === 'pt-BR' ? YAML_PT[code] : undefined;
  return pt ?? (english || 'malformed YAML');
}

const YAML_PT: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'a chave aparece duas vezes no mesmo mapeamento',
  BAD_INDENT: 'indentação errada',
  MISSING_CHAR: 'falta um caractere (uma aspa ou um colchete não fechado?)',
  MULTILINE_IMPLICIT_KEY: 'uma chave implícita não pode ocupar várias linhas (falta um ":"?)',
  UNEXPECTED_TOKEN: 'um símbolo inesperado',
  BLOCK_AS_IMPLICIT_KEY: 'um bloco usado como chave (falta um ":"?)',
  BAD_SCALAR_START: 'um valor não pode começar com este caractere (use aspas)',
  TAB_AS_INDENT: 'tabulação usada como indentação; use espaços',
  UNEXPECTED_SCALAR_AT_NODE_END: 'um valor sobrando no fim do nó',
  MISSING_ANCHOR: 'um alias de uma âncora que não existe',
  IMPOSSIBLE: 'YAML malformado',
  BAD_ALIAS: 'alias inválido',
  BAD_DIRECTIVE: 'diretiva inválida',
  BLOCK_IN_FLOW: 'um bloco dentro de uma coleção entre chaves ou colchetes',
  KEY_OVER_1024_CHARS: 'uma chave implícita com mais de 1024 caracteres',
  UNEXPECTED_FLOW_CHARACTER: 'um caractere de coleção inesperado',
  TAG_RESOLVE_FAILED: 'a tag não pôde ser resolvida',
  NON_STRING_KEY: 'uma chave que não é texto',
};

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  lines: LineCounter,
  file: string,
): LocalizedText {
  const path = issue.path as (string | number)[];
  if (issue.code === 'invalid_union' && !('discriminator' in issue)) {
    // One name where one name or a list is allowed: the name's own mistake, not the list's.
    const named =
      typeof doc.getIn(path) === 'string'
        ? issue.errors.flat().find((sub) => sub.code === 'invalid_value' && sub.path.length === 0)
        : undefined;
    if (named) return describeIssue({ ...named, path } as z.core.$ZodIssue, doc, lines, file);
    // "One name or a list of names": explain the branch that got furthest into the value.
    // A list that is too long or repeats a name fails at the list itself (an empty path).
    const deepest = issue.errors
      .flat()
      .filter((sub) => sub.path.length > 0 || sub.code === 'too_big')
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest) {
      const full = { ...deepest, path: [...path, ...deepest.path] } as z.core.$ZodIssue;
      return describeIssue(full, doc, lines, file);
    }
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const fieldPath = formatPath([...path, key]);
    const allowed = allowedKeys(path, doc);
    const line = lineOf(doc, lines, [...path, key], true);
    return localized('unknownField', {
      file,
      line,
      path: fieldPath,
      suggestion: closestMatch(key, allowed),
      allowed,
    });
  }
  const at = { file, line: lineOf(doc, lines, path, false), path: formatPath(path) };
  const value = doc.getIn(path);
  // What was found, quoted as written; undefined when the field is absent ("nothing").
  const found =
    value === undefined
      ? undefined
      : `'${typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;
  switch (issue.code) {
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      return localized('fieldNotOneOf', {
        ...at,
        found,
        allowed,
        suggestion: closestMatch(String(value), allowed),
      });
    }
    case 'invalid_union': {
      if ('discriminator' in issue && Array.isArray((issue as { options?: unknown[] }).options)) {
        const allowed = ((issue as { options: unknown[] }).options ?? []).map(String);
        return localized('fieldNotOneOf', {
          ...at,
          found,
          allowed,
          suggestion: closestMatch(String(value), allowed),
        });
      }
      return localized('fieldNotAllowed', { ...at, found, hint: unionHint(path) });
    }
    case 'invalid_type':
      if (value === undefined)
        return localized('fieldMissing', { ...at, expected: issue.expected });
      return localized('fieldWrongType', { ...at, found, expected: issue.expected });
    case 'too_small':
      return localized('fieldTooSmall', { ...at, found, minimum: String(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'array') {
        const list = doc.getIn(path, true);
        const count = isSeq(list) ? list.items.length : Number(issue.maximum) + 1;
        // The line of the key: a block list's first entry is a line below it.
        const line = lineOf(doc, lines, path, true);
        return localized('fieldTooMany', { ...at, line, count, maximum: Number(issue.maximum) });
      }
      return localized('fieldTooBig', { ...at, found, maximum: String(issue.maximum) });
    case 'invalid_format':
      return localized('fieldBadFormat', { ...at, found, use: issue.message });
    case 'custom':
      // The one custom check (schema.ts): a name listed twice.
      return localized('fieldRepeated', { ...at, found: found ?? '' });
    default:
      return localized('fieldInvalid', { ...at, message: issue.message });
  }
}

/** Semantics and transport take one name or a list; an expectation, a number or a comparison. */
function unionHint(path: (string | number)[]): 'names' | 'comparison' {
  const last = path[path.length - 1];
  return last === 'semantics' || last === 'transport' ? 'names' : 'comparison';
}

/** "faults[1].direction" from ['faults', 1, 'direction']. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

/** The line of a field: its key (`atKey`) or its value; the nearest existing parent otherwise. */
function lineOf(
  doc: Document,
  lines: LineCounter,
  path: readonly (string | number)[],
  atKey: boolean,
): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const parentPath = path.slice(0, Math.max(0, depth - 1));
    const key = path[depth - 1];
    const parent = depth === 0 ? doc.contents : doc.getIn(parentPath, true);
    if (depth > 0 && isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      const node = pair && (atKey || !pair.value ? pair.key : pair.value);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lines.linePos(range[0]).line;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
  }
  return 1;
}

/** The fields allowed in the mapping at `path`, for "unknown field" messages. */
function allowedKeys(path: readonly (string | number)[], doc: Document): string[] {
  const top = Object.keys(scenarioSchema.shape);
  if (path.length === 0) return top;
  if (path[0] === 'faults') {
    const type = doc.getIn([...path, 'type']);
    const fault = faultSchema.options.find((option) => option.shape.type.value === type);
    if (fault) return Object.keys(fault.shape);
  }
  if (path[0] === 'expect') return [...EXPECTABLE_FIELDS, 'held'];
  return [];
}
