import type { ChalkInstance } from 'chalk';
import { messages, type Catalog } from '../i18n/catalog.js';
import { currentLanguage, type Language } from '../i18n/language.js';
import { missDetail, type ExpectationResult } from '../scenario/expect.js';
import type { Scenario, ScenarioTranslation } from '../scenario/schema.js';

/** The lesson's title and description in `lang`, or in English when it has no translation. */
export function lessonText(
  scenario: Pick<Scenario, 'title' | 'description' | 'i18n'>,
  lang: Language = currentLanguage(),
): ScenarioTranslation {
  const translated = lang === 'en' ? undefined : scenario.i18n?.[lang];
  return translated ?? { title: scenario.title, description: scenario.description };
}

/** The lesson before the run: name, title, and what to watch for. */
export function renderScenarioHeader(
  scenario: Scenario,
  colour: ChalkInstance,
  lang: Language = currentLanguage(),
): string {
  const { title, description } = lessonText(scenario, lang);
  const lines = wrap(description.trim(), 76).map((line) => `  ${line}`);
  return [`${colour.bold(scenario.name)} — ${title}`, ...lines].join('\n');
}

/** "expect: lost 0 ✓ · duplicateExecutions >0 ✓ (got 30)". */
export function renderExpectations(
  results: readonly ExpectationResult[],
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const parts = results.map((r) => {
    // The field in the reader's words (its JSON name in English): "execuções duplicadas >0 ✓".
    const field = m.expectField(r.field);
    const expected = m.expectValue(r.expected);
    const actual = m.expectValue(String(r.actual));
    if (r.met) return `${field} ${expected} ${colour.green('✓')} (${actual})`;
    const detail = missDetail(r);
    // A run without a verdict misses a `held` expectation: said once, not as "got null: no verdict".
    if (r.actual === null) return `${field} ${expected} ${colour.red('✗')} ${m.noVerdictWord}`;
    return `${field} ${expected} ${colour.red('✗')} ${m.got(actual)}: ${detail ? m.miss(detail) : ''}`;
  });
  return `${m.expect}: ${parts.join(' · ')}`;
}

/** Greedy word wrap; single line breaks are spaces, blank lines separate paragraphs. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const [index, paragraph] of text.split(/\n\s*\n/).entries()) {
    if (index > 0) out.push('');
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}
