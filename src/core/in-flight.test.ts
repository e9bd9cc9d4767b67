import { describe, expect, it } from 'vitest';
import { Fifo, InFlight } from './in-flight.js';

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
