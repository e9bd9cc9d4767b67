/**
 * An unbounded push queue read by one `for await` loop. Used where items arrive from callbacks
 * (timers, several producers) but are consumed as an async iterable.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private failure: unknown;

  push(item: T): void {
    if (this.ended) return;
    const wake = this.waiting;
    if (wake) {
      this.waiting = undefined;
      wake({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** Ends the iteration after the items already queued; with `error`, the reader rejects instead. */
  end(error?: unknown): void {
    this.ended = true;
    this.failure = error;
    const wake = this.waiting;
    this.waiting = undefined;
    if (wake && this.head >= this.items.length) wake({ value: undefined, done: true });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.head < this.items.length) {
        const item = this.items[this.head] as T;
        this.head++;
        // Compact now and then, so memory follows what is queued, not what ever passed through.
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items.splice(0, this.head);
          this.head = 0;
        }
        yield item;
        continue;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      const next = await new Promise<IteratorResult<T>>((resolve) => (this.waiting = resolve));
      if (next.done) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      yield next.value;
    }
  }
}
