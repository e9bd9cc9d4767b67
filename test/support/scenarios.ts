import { afterAll, describe, expect, it } from 'vitest';
import { bundledScenarioNames, loadScenario } from '../../src/scenario/load.js';
import type { ScenarioRunReport } from '../../src/cli/scenario-runs.js';
import { makeSemlabHome, runSemlab } from './semlab.js';

/**
 * Lessons that kill a Kafka broker need a three-broker cluster of their own; they run in
 * test/e2e/kafka-leader-crash.test.ts, against the cluster that file starts.
 */
export function needsOwnKafkaCluster(name: string): boolean {
  return loadScenario(name).scenario.crashBroker !== undefined;
}

/**
 * Every bundled scenario runs as a user would run it (`semlab run <name> --json`) and must meet
 * its expect block: exit 0, and every expectation reported as met.
 */
export function describeBundledScenarios(half: 0 | 1): void {
  const names = bundledScenarioNames()
    .filter((name) => !needsOwnKafkaCluster(name))
    .filter((_, i) => i % 2 === half);
  describe(`bundled scenarios (${half === 0 ? 'first' : 'second'} half)`, () => {
    const { home, cleanup } = makeSemlabHome();
    afterAll(cleanup);
    for (const name of names) {
      it(`${name} meets its expect block`, () => expectScenarioMet(name, home));
    }
  });
}

/**
 * Runs a bundled scenario as a user would and checks that it met every expectation it states,
 * that its history is consistent, and that every fault it configures (the broker crash too) was
 * injected at least once in every run: a lesson whose faults never fired would pass its expect
 * block without showing anything.
 */
export async function expectScenarioMet(
  name: string,
  home: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const { code, stdout, stderr } = await runSemlab(
    ['run', name, ...extraArgs, '--json'],
    home,
    env,
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const reports = [JSON.parse(stdout) as ScenarioRunReport | ScenarioRunReport[]].flat();
  for (const report of reports) {
    expect(report.scenario).toBe(name);
    expect(report.expectations?.length).toBeGreaterThan(0);
    expect(report.expectations?.filter((e) => !e.met)).toEqual([]);
    expect(report.consistency).toEqual({ ok: true, violationCount: 0, violations: [] });
    expect(report.unsettled).toBe(0);
    const configured = report.faults.filter((fault) => fault.type !== 'live');
    expect(
      configured.filter((fault) => fault.injected === 0),
      `faults of ${report.semantics} that never fired`,
    ).toEqual([]);
  }
}
