import type { ChalkInstance } from 'chalk';
import type { ExpectationResult } from '../scenario/expect.js';
import type { Scenario } from '../scenario/schema.js';

/** The lesson before the run: name, title, and what to watch for. */
export function renderScenarioHeader(scenario: Scenario, colour: ChalkInstance): string {
  const description = wrap(scenario.description.trim(), 76).map((line) => `  ${line}`);
  return [`${colour.bold(scenario.name)} — ${scenario.title}`, ...description].join('\n');
}

/** "expect: lost 0 ✓ · duplicateExecutions >0 ✓ (got 30)". */
export function renderExpectations(
  results: readonly ExpectationResult[],
  colour: ChalkInstance,
): string {
  const parts = results.map((r) =>
    r.met
      ? `${r.field} ${r.expected} ${colour.green('✓')} (${String(r.actual)})`
      : `${r.field} ${r.expected} ${colour.red('✗')} got ${String(r.actual)}: ${r.miss ?? ''}`,
  );
  return `expect: ${parts.join(' · ')}`;
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
