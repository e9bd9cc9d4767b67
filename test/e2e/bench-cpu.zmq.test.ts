import { describe, expect, it } from 'vitest';
import { withCpuLog } from '../../src/bench/children.js';
import { measureRawZmq } from '../../src/bench/raw-zmq.js';
import { runSemlab } from '../../src/bench/semlab-run.js';

/**
 * `npm run bench` splits each measurement's CPU time between the dispatching process and the
 * workers from what every process records at its exit (src/bench/cpu-probe.ts). Counts only:
 * every process of a clean measurement must have recorded, the raw repliers (stopped by SIGTERM)
 * and semlab's dispatcher and workers alike; how much CPU they used is the bench's business.
 */
describe('the bench CPU split', () => {
  it('hears from the raw dealer and every replier', async () => {
    const [result, cpu] = await withCpuLog(() =>
      measureRawZmq({ workers: 3, messages: 300, window: 16 }),
    );
    expect(result.throughput).toBeGreaterThan(0);
    expect(cpu.processes).toBe(4);
    expect(cpu.dispatcherUs).toBeGreaterThan(0);
    expect(cpu.workersUs).toBeGreaterThan(0);
  });

  it("hears from semlab's dispatcher and every worker", async () => {
    const [run, cpu] = await withCpuLog(() =>
      runSemlab({ semantics: 'at-least-once', workers: 2, messages: 100, window: 16 }),
    );
    expect(run.throughput).toBeGreaterThan(0);
    expect(cpu.processes).toBe(3);
    expect(cpu.dispatcherUs).toBeGreaterThan(0);
    expect(cpu.workersUs).toBeGreaterThan(0);
  });
});
