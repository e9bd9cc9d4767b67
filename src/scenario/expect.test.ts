import { describe, expect, it } from 'vitest';
import type { RunReport } from '../report/run-report.js';
import {
  checkExpectations,
  missDetail,
  parseComparison,
  type ExpectationResult,
} from './expect.js';

const report = {
  lost: 3,
  duplicateExecutions: 0,
  ['retries']: 12,
  verdict: { held: false },
} as unknown as RunReport;

describe('checkExpectations', () => {
  it('meets exact numbers and comparisons', () => {
    const results = checkExpectations(report, {
      lost: '>0',
      duplicateExecutions: 0,
      retries: '<=12',
    });
    expect(results.map((r) => r.met)).toEqual([true, true, true]);
  });

  it('says which field missed and by how much', () => {
    const [lost, retries, held] = checkExpectations(report, {
      lost: 0,
      retries: '>=20',
      held: true,
    });
    expect(lost).toMatchObject({
      field: 'lost',
      met: false,
      actual: 3,
      miss: '3 more than expected',
    });
    expect(retries).toMatchObject({ field: 'retries', met: false, miss: '8 short of >=20' });
    expect(held).toMatchObject({ field: 'held', met: false, miss: 'the promise broke' });
    const [over] = checkExpectations(report, { retries: '<10' });
    expect(over).toMatchObject({ met: false, miss: '3 over <10' });
  });

  it('a run without a verdict meets neither held: true nor held: false', () => {
    const unfinished = { ...report, verdict: { held: null } } as unknown as RunReport;
    for (const expected of [true, false]) {
      const [held] = checkExpectations(unfinished, { held: expected });
      expect(held).toMatchObject({ field: 'held', met: false, actual: null, miss: 'no verdict' });
      expect(missDetail(held as ExpectationResult)).toEqual({
        kind: 'no-verdict',
        gap: 0,
        shown: String(expected),
      });
    }
  });
});

describe('parseComparison', () => {
  it('reads every operator', () => {
    expect(parseComparison('>0')).toEqual({ operator: '>', bound: 0 });
    expect(parseComparison('<= 5')).toEqual({ operator: '<=', bound: 5 });
    expect(parseComparison('0')).toEqual({ operator: '=', bound: 0 });
    expect(parseComparison('==4')).toEqual({ operator: '=', bound: 4 });
    expect(parseComparison(7)).toEqual({ operator: '=', bound: 7 });
  });
});
