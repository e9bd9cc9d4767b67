import { describe, expect, it } from 'vitest';
import { splitCpu } from './cpu-log.js';

describe('splitCpu', () => {
  it('sums the dispatching processes and the workers of semlab and the raw loops apart', () => {
    const lines = [
      { script: 'semlab', cpuUs: 1_000_000 },
      { script: 'dispatcher-entry.js', cpuUs: 300 },
      { script: 'worker-entry.js', cpuUs: 20 },
      { script: 'worker-entry.js', cpuUs: 22 },
      { script: 'raw-dealer-main.js', cpuUs: 5 },
      { script: 'raw-reply-main.js', cpuUs: 7 },
      { script: 'raw-kafka-consumer-main.js', cpuUs: 1 },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    // The CLI (supervisor and checker) is neither side of the per-message cost.
    expect(splitCpu(lines + '\n')).toEqual({ dispatcherUs: 305, workersUs: 50, processes: 6 });
    expect(splitCpu('')).toEqual({ dispatcherUs: 0, workersUs: 0, processes: 0 });
  });
});
