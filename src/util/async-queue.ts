/**
 * An unbounded push queue read by one `for await` loop. Used where items arrive from callbacks
 * (timers, several producers) but are consumed as an async iterable.
 *
 * The iterator is written by hand rather than as an async generator: every ack of a run passes
 * through two of these queues on the virtual clock, and a generator's `yield` costs an extra await
 * and several promises per item, where `next()` here returns one promise.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiting:
    { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;

  push(item: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting.resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** Ends the iteration after the items already queued; with `error`, the reader rejects instead. */
  end(error?: unknown): void {
    this.ended = true;
    this.failure = error;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting || this.head < this.items.length) return;
    if (error !== undefined) waiting.reject(error);
    else waiting.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      // A reader that stops early (break) is done with the queue.
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      this.head++;
      // Compact now and then, so memory follows what is queued, not what ever passed through.
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) {
      return this.failure !== undefined
        ? Promise.reject(this.failure)
        : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}
