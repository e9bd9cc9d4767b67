import { describe, expect, it } from 'vitest';
import { DeadlineRing, EpochTable, Fifo, InFlight } from './in-flight.js';

describe('InFlight', () => {
  it('numbers attempts per epoch', () => {
    const inFlight = new InFlight(100);
    expect(inFlight.sent(1, 0)).toBe(1);
    expect(inFlight.sent(2, 0)).toBe(1);
    expect(inFlight.sent(1, 50)).toBe(2);
    expect(inFlight.size).toBe(2);
  });

  it('reports a send as expired only after its deadline and only while it is the latest attempt', () => {
    const inFlight = new InFlight(100);
    inFlight.sent(1, 0);
    inFlight.sent(2, 10);
    expect([...inFlight.expired(99)]).toEqual([]);
    expect([...inFlight.expired(100)]).toEqual([{ epoch: 1, attempt: 1 }]);
    // Epoch 2 is acked before its deadline: it never expires.
    expect(inFlight.settle(2)).toBe(true);
    expect([...inFlight.expired(500)]).toEqual([]);
  });

  it('ignores the deadline of an earlier attempt once the epoch was resent', () => {
    const inFlight = new InFlight(100);
    inFlight.sent(7, 0);
    inFlight.sent(7, 60);
    expect([...inFlight.expired(120)]).toEqual([]);
    expect([...inFlight.expired(160)]).toEqual([{ epoch: 7, attempt: 2 }]);
  });

  it('settles once', () => {
    const inFlight = new InFlight(100);
    inFlight.sent(3, 0);
    expect(inFlight.settle(3)).toBe(true);
    expect(inFlight.settle(3)).toBe(false);
    expect(inFlight.isOpen(3)).toBe(false);
  });
});

describe('Fifo', () => {
  it('keeps order across compactions', () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      fifo.push(i);
      if (i % 3 === 0) out.push(fifo.shift() as number);
    }
    while (fifo.length > 0) out.push(fifo.shift() as number);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});

/** A small deterministic generator, so a failure replays. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('EpochTable', () => {
  it('agrees with a Map through random sets and deletes, across grows', () => {
    const random = lcg(7);
    const table = new EpochTable();
    const model = new Map<number, number>();
    // Disagreements counted, not asserted one by one: 10^5 expect() calls would take seconds.
    const disagreements: string[] = [];
    for (let step = 0; step < 200_000; step++) {
      // Phases of filling and draining, so the table grows and empties again; keys from a small
      // range collide on purpose.
      const filling = Math.floor(step / 5000) % 2 === 0;
      const epoch = 1 + Math.floor(random() * 3000);
      if (random() < (filling ? 0.7 : 0.3)) {
        const attempt = 1 + Math.floor(random() * 5);
        table.set(epoch, attempt);
        model.set(epoch, attempt);
      } else if (table.delete(epoch) !== model.delete(epoch)) {
        disagreements.push(`step ${step}: delete ${epoch}`);
      }
      if (step % 997 === 0) {
        if (table.size !== model.size) disagreements.push(`step ${step}: size ${table.size}`);
        for (let probe = 1; probe <= 3000; probe++)
          if (table.get(probe) !== (model.get(probe) ?? 0))
            disagreements.push(`step ${step}: get ${probe}`);
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(table.size).toBe(model.size);
  });

  it('finds entries whose probe run wraps past the end of the table', () => {
    // EpochTable's home slot in its first, 64-slot table (its Fibonacci hash): runs that cross
    // the last slot are rare in random tests, so build them on purpose.
    const home = (epoch: number): number => (Math.imul(epoch, 0x9e3779b1) >>> 0) & 63;
    const withHome = (slot: number, count: number): number[] => {
      const found: number[] = [];
      for (let epoch = 1; found.length < count; epoch++)
        if (home(epoch) === slot) found.push(epoch);
      return found;
    };
    const [a = 0] = withHome(62, 1);
    const [b = 0, c = 0, d = 0] = withHome(63, 3);
    // Slots 62: a, 63: b, 0: c, 1: d. Deleting a must leave c and d where a lookup from 63 finds
    // them; deleting b must move c back to 63 and d to 0.
    const table = new EpochTable();
    [a, b, c, d].forEach((epoch, i) => table.set(epoch, i + 1));
    expect(table.delete(a)).toBe(true);
    expect([a, b, c, d].map((epoch) => table.get(epoch))).toEqual([0, 2, 3, 4]);
    expect(table.delete(b)).toBe(true);
    expect([a, b, c, d].map((epoch) => table.get(epoch))).toEqual([0, 0, 3, 4]);
    expect(table.delete(c)).toBe(true);
    expect(table.get(d)).toBe(4);
    expect(table.size).toBe(1);
  });

  it('stays the size of the window through a million epochs', () => {
    const table = new EpochTable();
    const window = 64;
    for (let epoch = 1; epoch <= 1_000_000; epoch++) {
      table.set(epoch, 1);
      if (epoch > window && !table.delete(epoch - window)) throw new Error(`lost ${epoch}`);
    }
    expect(table.size).toBe(window);
    // Half full at most, and never more than twice what that needs.
    expect(table.room).toBeLessThanOrEqual(4 * window);
  });

  it('keeps its room when it drains and refills, rather than halving and doubling each time', () => {
    const table = new EpochTable();
    for (let epoch = 1; epoch <= 64; epoch++) table.set(epoch, 1);
    const room = table.room;
    // Rounds that drain to a few open epochs and fill again, as answers and handovers come.
    for (let round = 0; round < 100; round++) {
      for (let epoch = 64 * round + 1; epoch <= 64 * round + 60; epoch++) table.delete(epoch);
      for (let epoch = 64 * (round + 1) + 1; epoch <= 64 * (round + 1) + 60; epoch++)
        table.set(epoch, 1);
      expect(table.room).toBe(room);
    }
  });
});

describe('DeadlineRing', () => {
  it('gives entries back in order across growing and shrinking', () => {
    const ring = new DeadlineRing();
    const out: number[] = [];
    let next = 1;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3000; i++, next++) ring.push(next, 1, next * 10);
      while (ring.length > 100) {
        expect(ring.headDeadline()).toBe(ring.headEpoch() * 10);
        out.push(ring.headEpoch());
        ring.shift();
      }
    }
    while (ring.length > 0) {
      out.push(ring.headEpoch());
      ring.shift();
    }
    expect(out).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
  });

  it('follows the sends of one timeout period, not the run', () => {
    // 1,000,000 sends, 50 per ms, timeout 200 ms: about 10,000 deadlines pending at any time.
    const inFlight = new InFlight(200);
    const ring = new DeadlineRing();
    let largest = 0;
    for (let epoch = 1; epoch <= 1_000_000; epoch++) {
      const now = Math.floor(epoch / 50);
      ring.push(epoch, 1, now + 200);
      while (ring.length > 0 && ring.headDeadline() <= now) ring.shift();
      largest = Math.max(largest, ring.room);
      inFlight.sent(epoch, now);
      inFlight.settle(epoch);
      for (const expired of inFlight.expired(now)) throw new Error(`${expired.epoch} expired`);
    }
    expect(ring.length).toBeLessThanOrEqual(200 * 50 + 50);
    expect(largest).toBeLessThanOrEqual(2 * 16_384);
    expect(inFlight.size).toBe(0);
  });
});
