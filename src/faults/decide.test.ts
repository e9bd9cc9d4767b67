import { describe, expect, it } from 'vitest';
import { decideCrash, decideLink, decidePause, uniform } from './decide.js';
import type { FaultSpec } from './spec.js';

describe('uniform', () => {
  it('is deterministic and depends on every input', () => {
    expect(uniform(7, 10, 1, 0)).toBe(uniform(7, 10, 1, 0));
    const base = uniform(7, 10, 1, 0);
    expect(uniform(8, 10, 1, 0)).not.toBe(base);
    expect(uniform(7, 11, 1, 0)).not.toBe(base);
    expect(uniform(7, 10, 2, 0)).not.toBe(base);
    expect(uniform(7, 10, 1, 1)).not.toBe(base);
  });

  it('is close to uniform over many draws', () => {
    const n = 20_000;
    let below = 0;
    for (let epoch = 1; epoch <= n; epoch++) if (uniform(1, epoch, 1, 0) < 0.2) below++;
    expect(below / n).toBeGreaterThan(0.18);
    expect(below / n).toBeLessThan(0.22);
  });
});

describe('decideLink', () => {
  const faults: FaultSpec[] = [
    { type: 'drop', direction: 'ack', probability: 0.3 },
    { type: 'delay', direction: 'ack', ms: 500, probability: 0.5 },
  ];

  it('never touches the other direction', () => {
    for (let epoch = 1; epoch <= 200; epoch++) {
      expect(decideLink(faults, 3, epoch, 1, 'work').action).toBe('pass');
    }
  });

  it('drops about the configured fraction and prefers drops over delays', () => {
    const actions = Array.from(
      { length: 2000 },
      (_, i) => decideLink(faults, 3, i + 1, 1, 'ack').action,
    );
    const drops = actions.filter((a) => a === 'drop').length;
    const delays = actions.filter((a) => a === 'delay').length;
    expect(drops / 2000).toBeGreaterThan(0.25);
    expect(drops / 2000).toBeLessThan(0.35);
    // Delays only apply to messages that were not dropped: about 0.7 * 0.5 of all.
    expect(delays / 2000).toBeGreaterThan(0.3);
    expect(delays / 2000).toBeLessThan(0.4);
  });

  it('gives a retry its own, independent decision', () => {
    const always: FaultSpec[] = [{ type: 'drop', direction: 'work', probability: 0.5 }];
    const differing = Array.from({ length: 100 }, (_, i) => i + 1).filter(
      (epoch) =>
        decideLink(always, 1, epoch, 1, 'work').action !==
        decideLink(always, 1, epoch, 2, 'work').action,
    );
    expect(differing.length).toBeGreaterThan(20);
  });
});

describe('decideCrash', () => {
  const faults: FaultSpec[] = [{ type: 'crash', point: 'after-execute', every: 10 }];

  it('schedules every k-th epoch, at its point only', () => {
    expect(decideCrash(faults, 'after-execute', 10)).toBeDefined();
    expect(decideCrash(faults, 'after-execute', 20)).toBeDefined();
    expect(decideCrash(faults, 'after-execute', 11)).toBeUndefined();
    expect(decideCrash(faults, 'after-receive', 10)).toBeUndefined();
  });
});

describe('decidePause', () => {
  const faults: FaultSpec[] = [
    { type: 'crash', point: 'after-execute', every: 5 },
    { type: 'pause', point: 'after-execute', every: 10, ms: 500 },
    { type: 'pause', point: 'after-receive', every: 3, ms: 50 },
  ];

  it('fires on every k-th epoch at its point only, naming its index', () => {
    expect(decidePause(faults, 'after-execute', 20)).toEqual({ fault: faults[1], index: 1 });
    expect(decidePause(faults, 'after-execute', 15)).toBe(undefined);
    expect(decidePause(faults, 'after-receive', 9)).toEqual({ fault: faults[2], index: 2 });
    expect(decidePause(faults, 'before-ack', 30)).toBe(undefined);
  });

  it('is never a crash, and a crash is never a pause', () => {
    expect(decidePause(faults, 'after-execute', 5)).toBe(undefined);
    expect(decideCrash(faults, 'after-receive', 3)).toBe(undefined);
  });
});
