import type { MissDetail } from '../i18n/en.js';
import type { Expectations } from './schema.js';

/** The part of a run report an expect block reads: numeric counts by name, and the verdict. */
export interface ExpectableReport {
  /** `held: null`: no verdict (the run did not finish, or its history is inconsistent). */
  readonly verdict: { readonly held: boolean | null };
}

export interface ExpectationResult {
  readonly field: string;
  /** As written in the scenario: 0, ">0", "<=5", true. */
  readonly expected: string;
  /** null: the run gave no verdict, so a `held` expectation is not met either way. */
  readonly actual: number | boolean | null;
  readonly met: boolean;
  /** For a miss: by how much, in words ("3 more than allowed"). */
  readonly miss?: string;
}

/** Checks a report against a scenario's `expect` block for its semantics. Pure. */
export function checkExpectations(
  report: ExpectableReport,
  expectations: Expectations | undefined,
  /**
   * False when the run changed a setting that the lesson's numbers depend on (its seed, workers,
   * faults…): an exact non-zero count ("duplicateExecutions: 30") is then a claim about another
   * run and is left out; the certain claims (0, ">0", "<=5", held) are still checked.
   */
  exactNumbersApply = true,
): ExpectationResult[] {
  if (!expectations) return [];
  const results: ExpectationResult[] = [];
  for (const [field, expected] of Object.entries(expectations)) {
    if (expected === undefined) continue;
    if (!exactNumbersApply && typeof expected === 'number' && expected !== 0) continue;
    if (field === 'held') {
      const actual = report.verdict.held;
      results.push({
        field,
        expected: String(expected),
        actual,
        met: actual === expected,
        ...(actual === expected
          ? {}
          : {
              miss: actual === null ? 'no verdict' : `the promise ${actual ? 'held' : 'broke'}`,
            }),
      });
      continue;
    }
    const actual = (report as unknown as Record<string, number>)[field] ?? NaN;
    results.push(compare(field, expected as number | string, actual));
  }
  return results;
}

function compare(field: string, expected: number | string, actual: number): ExpectationResult {
  const { operator, bound } = parseComparison(expected);
  const met =
    operator === '>'
      ? actual > bound
      : operator === '>='
        ? actual >= bound
        : operator === '<'
          ? actual < bound
          : operator === '<='
            ? actual <= bound
            : actual === bound;
  const shown = typeof expected === 'number' ? String(expected) : expected.replace(/\s+/g, '');
  if (met) return { field, expected: shown, actual, met };
  const detail = numericMiss(operator, bound, actual, shown);
  const miss =
    detail.kind === 'more' || detail.kind === 'fewer'
      ? `${detail.gap} ${detail.kind} than expected`
      : `${detail.gap} ${detail.kind === 'short' ? 'short of' : 'over'} ${shown}`;
  return { field, expected: shown, actual, met, miss };
}

function numericMiss(
  operator: '>' | '>=' | '<' | '<=' | '=',
  bound: number,
  actual: number,
  shown: string,
): MissDetail {
  const gap = Math.abs(actual - bound);
  if (operator === '=') return { kind: actual > bound ? 'more' : 'fewer', gap, shown };
  if (operator === '>' || operator === '>=')
    return { kind: 'short', gap: operator === '>' ? gap + 1 : gap, shown };
  return { kind: 'over', gap: operator === '<' ? gap + 1 : gap, shown };
}

/**
 * How a result missed, as data, so a renderer can say it in any language. It is derived again
 * from the result rather than stored in it: the `--json` report keeps its English `miss` only.
 */
export function missDetail(result: ExpectationResult): MissDetail | undefined {
  if (result.met) return undefined;
  if (result.actual === null) return { kind: 'no-verdict', gap: 0, shown: result.expected };
  if (typeof result.actual === 'boolean')
    return { kind: result.actual ? 'held' : 'broke', gap: 0, shown: result.expected };
  const { operator, bound } = parseComparison(result.expected);
  return numericMiss(operator, bound, result.actual, result.expected);
}

export function parseComparison(expected: number | string): {
  operator: '>' | '>=' | '<' | '<=' | '=';
  bound: number;
} {
  if (typeof expected === 'number') return { operator: '=', bound: expected };
  const match = /^\s*(>=|<=|>|<|==|=)?\s*(\d+)\s*$/.exec(expected);
  if (!match) throw new Error(`not a comparison: '${expected}'`);
  const operator = (match[1] === '==' ? '=' : (match[1] ?? '=')) as '>' | '>=' | '<' | '<=' | '=';
  return { operator, bound: Number(match[2]) };
}
