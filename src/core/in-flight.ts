/**
 * The dispatcher's record of epochs sent but not yet settled (acked, or given up).
 *
 * The slide's comparer thread scans every sent message on every pass; that costs as much as the run
 * is long. Here each send pushes (epoch, attempt, deadline) onto a FIFO. The ack timeout is the same
 * for every send, so deadlines leave the FIFO in the order they entered it, and a tick only looks
 * at the entries whose deadline has passed. An entry whose epoch was acked (or resent) since is
 * recognised as stale by its attempt number and dropped. Memory: one map entry per unsettled epoch,
 * plus one FIFO entry per send of the last timeout period; both bounded by the window, not by M.
 */
export class InFlight {
  /** Unsettled epochs and the attempt number of their latest send. */
  private readonly latestAttempt = new Map<number, number>();
  private readonly deadlines = new Fifo<{ epoch: number; attempt: number; deadline: number }>();

  constructor(readonly timeoutMs: number) {}

  /** Epochs sent and not settled, including those waiting to be resent. */
  get size(): number {
    return this.latestAttempt.size;
  }

  /** Records a send and returns its attempt number (1 for the first send of the epoch). */
  sent(epoch: number, now: number): number {
    const attempt = (this.latestAttempt.get(epoch) ?? 0) + 1;
    this.latestAttempt.set(epoch, attempt);
    this.deadlines.push({ epoch, attempt, deadline: now + this.timeoutMs });
    return attempt;
  }

  /** Gives the latest send of an open epoch another full timeout, without a new attempt. */
  rearm(epoch: number, now: number): void {
    const attempt = this.latestAttempt.get(epoch);
    if (attempt !== undefined)
      this.deadlines.push({ epoch, attempt, deadline: now + this.timeoutMs });
  }

  /** Is this epoch still waiting for an ack? */
  isOpen(epoch: number): boolean {
    return this.latestAttempt.has(epoch);
  }

  /** Settles an epoch (acked or given up); false if it was already settled. */
  settle(epoch: number): boolean {
    return this.latestAttempt.delete(epoch);
  }

  /** The sends whose deadline has passed and whose epoch is still open with that very attempt. */
  *expired(now: number): Generator<{ epoch: number; attempt: number }> {
    for (;;) {
      const head = this.deadlines.peek();
      if (!head || head.deadline > now) return;
      this.deadlines.shift();
      if (this.latestAttempt.get(head.epoch) === head.attempt)
        yield { epoch: head.epoch, attempt: head.attempt };
    }
  }
}

/** A FIFO queue with O(1) push and shift whose storage shrinks as it drains. */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
