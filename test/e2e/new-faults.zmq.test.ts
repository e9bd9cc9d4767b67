import { afterAll, describe, expect, it } from 'vitest';
import type { EpochStory } from '../../src/report/trace.js';
import { makeSemlabHome, runJson, runSemlab } from '../support/semlab.js';

/**
 * The fault kinds of issue 14, each as real processes over real ZeroMQ sockets on the virtual
 * clock, where their counts follow exactly from the fault and the routing.
 */
describe('new fault kinds over zmq', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  async function anomalies(runId: string): Promise<EpochStory[]> {
    const { code, stdout, stderr } = await runSemlab(
      ['trace', runId, '--anomalies', '--json'],
      home,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { stories: EpochStory[] }).stories;
  }

  it('--work-ms advances virtual time by each handling; past the timeout it looks like death', async () => {
    const small = ['--seed', '1', '--messages', '12', '--window', '3'];
    const quick = await runJson(['run', 'at-least-once', ...small, '--work-ms', '150'], home);
    // 3 workers, one message each at a time, 4 rounds of hop + 150 ms of work + hop.
    expect(quick.virtualDurationMs).toBe(4 * (150 + 2));
    expect(quick.retries).toBe(0);
    expect(quick.faults).toEqual([{ type: 'work', ms: 150, injected: 12 }]);

    const slow = await runJson(['run', 'at-least-once', ...small, '--work-ms', '250'], home);
    // Every first attempt outlives the 200 ms timeout: every epoch runs at least twice.
    expect(slow.lost).toBe(0);
    expect(slow.duplicateExecutions).toBeGreaterThanOrEqual(12);
    expect(slow.faults[0]?.injected).toBe(slow.delivered);
    const stories = await anomalies(slow.runId);
    expect(stories).toHaveLength(12);
    for (const story of stories) expect(story.cause?.kind).toBe('slow-work');
  });

  it('--work-ms on the real clock makes the worker really take that long', async () => {
    const report = await runJson(
      [
        'run',
        'at-most-once',
        ...['--clock', 'real', '--messages', '6', '--window', '3', '--work-ms', '40'],
      ],
      home,
    );
    expect(report.faults).toEqual([{ type: 'work', ms: 40, injected: 6 }]);
    // Two rounds of 40 ms on each of 3 workers: a floor, whatever the machine's load.
    expect(report.durationMs).toBeGreaterThanOrEqual(80);
  });
});
