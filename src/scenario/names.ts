import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Scenario names without reading any scenario: what `semlab run TARGET` needs to tell a scenario
 * from a semantics name. Kept apart from ./load.ts, which brings the YAML parser and the zod
 * schema (some 100 files): a run of a semantics preset never loads those.
 */

/** The bundled lesson library: the scenarios/ folder at the package root. */
export const BUNDLED_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Bundled scenario names, from the files in scenarios/. */
export function bundledScenarioNames(dir = BUNDLED_SCENARIOS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => basename(name, '.yaml'))
    .sort();
}

/** Is this argument a scenario (a YAML path, or a bundled name) rather than a semantics name? */
export function looksLikeScenario(target: string, dir = BUNDLED_SCENARIOS_DIR): boolean {
  return /\.ya?ml$/i.test(target) || bundledScenarioNames(dir).includes(target);
}
