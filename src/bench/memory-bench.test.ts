import { describe, expect, it } from 'vitest';
import { RSS_GROWTH_GOAL, rssGrowth } from './memory-bench.js';

const size = (messages: number, kb: number) => ({ messages, medianDispatcherMaxRssKb: kb });

describe('rssGrowth', () => {
  it('compares the largest size with the smallest of at least 100k, whatever the order given', () => {
    const growth = rssGrowth([
      size(1_000_000, 110_000),
      size(10_000, 50_000),
      size(100_000, 100_000),
    ]);
    expect(growth).toEqual({
      fromMessages: 100_000,
      toMessages: 1_000_000,
      ratio: 1.1,
      goal: RSS_GROWTH_GOAL,
    });
  });

  it('takes the smallest size above 100k when 100k itself was not measured', () => {
    expect(rssGrowth([size(50_000, 1), size(300_000, 80_000), size(900_000, 100_000)])).toEqual({
      fromMessages: 300_000,
      toMessages: 900_000,
      ratio: 1.25,
      goal: 1.1,
    });
  });

  it('has nothing to say without two sizes of at least 100k', () => {
    expect(rssGrowth([size(10_000, 1), size(99_999, 2)])).toBeUndefined();
    expect(rssGrowth([size(10_000, 1), size(100_000, 2)])).toBeUndefined();
  });
});
