import { describe, expect, it } from 'vitest';
import type { FaultSpec } from './spec.js';
import { decideWorkTime } from './work-time.js';

describe('decideWorkTime', () => {
  it('is undefined when the run has no work spec: work is instant', () => {
    expect(decideWorkTime([{ type: 'drop', direction: 'ack', probability: 1 }], 1, 1, 1)).toBe(
      undefined,
    );
  });

  it('is the exact time without jitter, and names the spec by its index', () => {
    const faults: FaultSpec[] = [
      { type: 'drop', direction: 'ack', probability: 0.1 },
      { type: 'work', ms: 40 },
    ];
    for (let epoch = 1; epoch <= 50; epoch++)
      expect(decideWorkTime(faults, 9, epoch, 1)).toEqual({ ms: 40, index: 1 });
  });

  it('spreads over every whole ms of ms ± jitter, the same for the same inputs', () => {
    const faults: FaultSpec[] = [{ type: 'work', ms: 10, jitterMs: 3 }];
    const seen = new Set<number>();
    for (let epoch = 1; epoch <= 2000; epoch++) {
      const time = decideWorkTime(faults, 5, epoch, 1);
      expect(time).toEqual(decideWorkTime(faults, 5, epoch, 1));
      seen.add(time?.ms ?? -1);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    // Another attempt of the same epoch draws anew: a retry may be faster or slower.
    const attempts = new Set(
      [1, 2, 3, 4, 5, 6].map((attempt) => decideWorkTime(faults, 5, 1, attempt)?.ms),
    );
    expect(attempts.size).toBeGreaterThan(1);
  });

  it('never goes below 0 when the jitter is larger than the time', () => {
    const faults: FaultSpec[] = [{ type: 'work', ms: 1, jitterMs: 5 }];
    let zeros = 0;
    for (let epoch = 1; epoch <= 500; epoch++) {
      const ms = decideWorkTime(faults, 2, epoch, 1)?.ms ?? -1;
      expect(ms).toBeGreaterThanOrEqual(0);
      if (ms === 0) zeros++;
    }
    expect(zeros).toBeGreaterThan(0);
  });
});
