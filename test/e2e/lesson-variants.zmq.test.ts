import { afterAll, describe, expect, it } from 'vitest';
import { bundledScenarioNames, loadScenario } from '../../src/scenario/load.js';
import { makeSemlabHome, runSemlab } from '../support/semlab.js';

/**
 * What a lesson's description suggests trying is a named variant with its own expectations: the
 * suggestion, typed as flags, meets them (before, `memory-store --store sqlite` failed the
 * lesson's own expectations with exit 1).
 */
const SUGGESTED: Readonly<Record<string, readonly string[]>> = {
  'memory-store/shared-store': ['--store', 'sqlite'],
  'redis-ttl/long-ttl': ['--dedupe-ttl', '60000'],
  'dedupe-hole/with-lost-acks': ['--crash', 'after-execute@10', '--drop-ack', '0.4'],
};

describe('lesson variants', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  const variants = bundledScenarioNames().flatMap((name) =>
    (loadScenario(name).scenario.variants ?? []).map((v) => `${name}/${v.name}`),
  );

  it('every bundled variant is listed here with the flags its lesson suggests', () => {
    expect(variants.sort()).toEqual(Object.keys(SUGGESTED).sort());
  });

  it.each(Object.entries(SUGGESTED))(
    '%s meets its expectations when run with the suggested flags',
    { timeout: 60_000 },
    async (key, flags) => {
      const lesson = key.split('/')[0] as string;
      const result = await runSemlab(['run', lesson, ...flags, '--json'], home);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const reports = JSON.parse(result.stdout) as {
        expectations: { field: string; met: boolean }[];
      }[];
      for (const report of [reports].flat()) {
        // The variant's own: a held promise where the lesson's broke, so never empty.
        expect(report.expectations.length).toBeGreaterThan(0);
        expect(report.expectations.filter((e) => !e.met)).toEqual([]);
      }
    },
  );
  it('semlab runs names the lesson each run was, after the variants ran', async () => {
    const listed = await runSemlab(['runs'], home);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^\S+ +exactly-once over zmq, 100 messages .*\[memory-store\]$/m);
    expect(listed.stdout).toMatch(/\[dedupe-hole\]$/m);
  });
});
