import { describe, expect, it } from 'vitest';
import { partitionAt } from './partition.js';
import type { FaultSpec } from './spec.js';

describe('partitionAt', () => {
  const faults: FaultSpec[] = [
    { type: 'drop', direction: 'ack', probability: 0.1 },
    { type: 'partition', worker: 'w2', atMs: 100, ms: 50 },
    { type: 'partition', worker: 'w3', direction: 'ack', atMs: 0, ms: 10 },
  ];

  it('cuts the named worker, both ways, from atMs up to (not including) atMs + ms', () => {
    expect(partitionAt(faults, 'w2', 'work', 99)).toBe(-1);
    expect(partitionAt(faults, 'w2', 'work', 100)).toBe(1);
    expect(partitionAt(faults, 'w2', 'ack', 149)).toBe(1);
    expect(partitionAt(faults, 'w2', 'ack', 150)).toBe(-1);
    expect(partitionAt(faults, 'w1', 'work', 120)).toBe(-1);
  });

  it('a one-way cut leaves the other direction alone', () => {
    expect(partitionAt(faults, 'w3', 'ack', 5)).toBe(2);
    expect(partitionAt(faults, 'w3', 'work', 5)).toBe(-1);
  });
});
