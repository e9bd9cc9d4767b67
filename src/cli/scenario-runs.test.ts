import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './exit-codes.js';
import { failIfInconsistent, type ScenarioRunReport } from './scenario-runs.js';

const report = (consistency: ScenarioRunReport['consistency']): ScenarioRunReport =>
  ({ consistency, runDir: '/tmp/semlab/runs/r1' }) as ScenarioRunReport;

describe('failIfInconsistent', () => {
  it('lets consistent histories through', () => {
    expect(() =>
      failIfInconsistent([report({ ok: true, violationCount: 0, violations: [] })]),
    ).not.toThrow();
  });

  it('names the first broken check and its epoch, calls it a bug in semlab, and exits 3', () => {
    let error: unknown;
    try {
      failIfInconsistent([
        report({ ok: true, violationCount: 0, violations: [] }),
        report({
          ok: false,
          violationCount: 3,
          violations: [
            {
              check: 'event-after-crash',
              epoch: 17,
              worker: 'w2',
              incarnation: 1,
              detail: 'journal w2.1 goes on to line 9 after the crash at line 8',
            },
          ],
        }),
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      "the run's history breaks the consistency check event-after-crash at epoch 17 (w2, incarnation 1) (and 2 more): this is a bug in semlab, not a verdict about the semantics; journals kept in /tmp/semlab/runs/r1",
    );
    expect(exitCodeFor(error)).toBe(3);
  });
});
