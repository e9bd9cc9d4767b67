import { afterAll, describe, expect, it } from 'vitest';
import { bundledScenarioNames } from '../../src/scenario/load.js';
import type { ScenarioRunReport } from '../../src/cli/scenario-runs.js';
import { makeSemlabHome, runSemlab } from './semlab.js';

/**
 * Every bundled scenario runs as a user would run it (`semlab run <name> --json`) and must meet
 * its expect block: exit 0, and every expectation reported as met.
 */
export function describeBundledScenarios(half: 0 | 1): void {
  const names = bundledScenarioNames().filter((_, i) => i % 2 === half);
  describe(`bundled scenarios (${half === 0 ? 'first' : 'second'} half)`, () => {
    const { home, cleanup } = makeSemlabHome();
    afterAll(cleanup);
    for (const name of names) {
      it(`${name} meets its expect block`, async () => {
        const { code, stdout, stderr } = await runSemlab(['run', name, '--json'], home);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const reports = [JSON.parse(stdout) as ScenarioRunReport | ScenarioRunReport[]].flat();
        for (const report of reports) {
          expect(report.scenario).toBe(name);
          expect(report.expectations?.length).toBeGreaterThan(0);
          expect(report.expectations?.filter((e) => !e.met)).toEqual([]);
          expect(report.identityHolds).toBe(true);
        }
      });
    }
  });
}
