import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.js';

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Lets pending promise callbacks run, so a reader can reach its wait. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('AsyncQueue', () => {
  it('yields items pushed before iteration, in order, and stops after end()', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    queue.end();
    expect(await drain(queue)).toEqual([1, 2, 3]);
  });

  it('drains items queued before end() and then stops', async () => {
    const queue = new AsyncQueue<string>();
    const reading = drain(queue);
    queue.push('a');
    await settle();
    queue.push('b');
    queue.push('c');
    queue.end();
    expect(await reading).toEqual(['a', 'b', 'c']);
  });

  it('ignores pushes after end()', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.end();
    queue.push(2);
    expect(await drain(queue)).toEqual([1]);
  });

  it('wakes a waiting reader when an item is pushed', async () => {
    const queue = new AsyncQueue<string>();
    const iterator = queue[Symbol.asyncIterator]();
    let result: IteratorResult<string> | undefined;
    const next = iterator.next().then((r) => (result = r));
    await settle();
    expect(result).toBeUndefined();
    queue.push('hello');
    await next;
    expect(result).toEqual({ value: 'hello', done: false });
  });

  it('ends a waiting reader on end()', async () => {
    const queue = new AsyncQueue<string>();
    const iterator = queue[Symbol.asyncIterator]();
    const next = iterator.next();
    await settle();
    queue.end();
    await expect(next).resolves.toEqual({ value: undefined, done: true });
  });

  it('rejects a waiting reader on end(error)', async () => {
    const queue = new AsyncQueue<number>();
    const reading = drain(queue);
    queue.push(1);
    await settle();
    const failure = new Error('link broke');
    queue.end(failure);
    await expect(reading).rejects.toBe(failure);
  });

  it('rejects with end(error) after the items already queued', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    const failure = new Error('boom');
    queue.end(failure);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toBe(failure);
    expect(seen).toEqual([1, 2]);
  });

  it('keeps order across many items, interleaving pushes and reads (storage compaction)', async () => {
    const queue = new AsyncQueue<number>();
    const total = 5000;
    for (let i = 0; i < 3000; i++) queue.push(i);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const item of queue) {
        seen.push(item);
        if (item === 2500) {
          for (let i = 3000; i < total; i++) queue.push(i);
          queue.end();
        }
      }
    })();
    await reading;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});
