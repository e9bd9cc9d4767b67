/**
 * The dispatcher's record of epochs sent but not yet settled (acked, or given up).
 *
 * The slide's comparer thread scans every sent message on every pass; that costs as much as the run
 * is long. Here each send pushes (epoch, attempt, deadline) onto a FIFO. The ack timeout is the same
 * for every send, so deadlines leave the FIFO in the order they entered it, and a tick only looks
 * at the entries whose deadline has passed. An entry whose epoch was acked (or resent) since is
 * recognised as stale by its attempt number and dropped. Memory: one map entry per unsettled epoch,
 * plus one FIFO entry per send of the last timeout period; both bounded by the window, not by M.
 *
 * Neither holds a heap object per message, and neither is a Map: both live as long as the run, and
 * V8 allocates what a long-lived structure needs per message straight into its old generation
 * (a Map's table is rehashed there every few dozen sets and deletes; an object per send lives a
 * whole timeout, longer than the young generation keeps anything, and is promoted). That garbage
 * filled the dispatcher's old space on every message of the run, so its peak RSS drifted upwards
 * with the run's length. Here both are numbers in typed arrays (EpochTable, DeadlineRing), whose
 * size follows the window and the sends of one timeout period.
 */
export class InFlight {
  /** Unsettled epochs and the attempt number of their latest send. */
  private readonly latestAttempt = new EpochTable();
  private readonly deadlines = new DeadlineRing();

  constructor(readonly timeoutMs: number) {}

  /** Epochs sent and not settled, including those waiting to be resent. */
  get size(): number {
    return this.latestAttempt.size;
  }

  /** Records a send and returns its attempt number (1 for the first send of the epoch). */
  sent(epoch: number, now: number): number {
    const attempt = this.latestAttempt.get(epoch) + 1;
    this.latestAttempt.set(epoch, attempt);
    this.deadlines.push(epoch, attempt, now + this.timeoutMs);
    return attempt;
  }

  /** Gives the latest send of an open epoch another full timeout, without a new attempt. */
  rearm(epoch: number, now: number): void {
    const attempt = this.latestAttempt.get(epoch);
    if (attempt > 0) this.deadlines.push(epoch, attempt, now + this.timeoutMs);
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
    const deadlines = this.deadlines;
    while (deadlines.length > 0 && deadlines.headDeadline() <= now) {
      const epoch = deadlines.headEpoch();
      const attempt = deadlines.headAttempt();
      deadlines.shift();
      if (this.latestAttempt.get(epoch) === attempt) yield { epoch, attempt };
    }
  }
}

/**
 * A map from epoch (a positive integer) to its latest attempt (a positive integer), in two typed
 * arrays: open addressing with linear probing, and deletion by shifting the run of entries after
 * the deleted one back (no tombstones, so it never needs rehashing to stay fast). It doubles when
 * half full and never shrinks: its size follows the most epochs ever open at once, which the window
 * bounds, and it allocates nothing after that (see InFlight for why that matters). It used to halve
 * when an eighth full, and the virtual network's epochs in hand, which drain to a few and refill
 * with every round of answers, made it halve and double again every ~30 messages: two typed arrays
 * and a rehash each time.
 */
export class EpochTable {
  private static readonly MIN_CAPACITY = 64;
  /** 0: an empty slot (epochs start at 1). */
  private epochs = new Float64Array(EpochTable.MIN_CAPACITY);
  private attempts = new Float64Array(EpochTable.MIN_CAPACITY);
  private mask = EpochTable.MIN_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Slots the table has now (for tests: its memory is 16 bytes per slot). */
  get room(): number {
    return this.mask + 1;
  }

  /** The epoch's attempt, or 0 when the epoch is not in the table. */
  get(epoch: number): number {
    for (let i = this.home(epoch); ; i = (i + 1) & this.mask) {
      const key = this.epochs[i];
      if (key === epoch) return this.attempts[i] as number;
      if (key === 0) return 0;
    }
  }

  has(epoch: number): boolean {
    return this.get(epoch) > 0;
  }

  set(epoch: number, attempt: number): void {
    if (!(epoch >= 1) || !(attempt >= 1))
      throw new RangeError(`epoch ${epoch}, attempt ${attempt}`);
    let i = this.home(epoch);
    for (; ; i = (i + 1) & this.mask) {
      const key = this.epochs[i];
      if (key === epoch) break;
      if (key === 0) {
        this.epochs[i] = epoch;
        this.count++;
        break;
      }
    }
    this.attempts[i] = attempt;
    if (this.count * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
  }

  /** Removes the epoch; false if it was not there. */
  delete(epoch: number): boolean {
    let i = this.home(epoch);
    for (; ; i = (i + 1) & this.mask) {
      const key = this.epochs[i];
      if (key === epoch) break;
      if (key === 0) return false;
    }
    // Backward shift: every later entry of the probe run whose home is not between the hole and
    // itself moves into the hole, so lookups never meet a gap before their entry.
    for (let j = (i + 1) & this.mask; ; j = (j + 1) & this.mask) {
      const key = this.epochs[j] as number;
      if (key === 0) break;
      const home = this.home(key);
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      this.epochs[i] = key;
      this.attempts[i] = this.attempts[j] as number;
      i = j;
    }
    this.epochs[i] = 0;
    this.attempts[i] = 0;
    this.count--;
    return true;
  }

  private home(epoch: number): number {
    // Fibonacci hashing: consecutive epochs spread over the table.
    return (Math.imul(epoch, 0x9e3779b1) >>> 0) & this.mask;
  }

  private resize(capacity: number): void {
    const epochs = this.epochs;
    const attempts = this.attempts;
    this.epochs = new Float64Array(capacity);
    this.attempts = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < epochs.length; i++) {
      const epoch = epochs[i] as number;
      if (epoch !== 0) this.set(epoch, attempts[i] as number);
    }
  }
}

/**
 * A FIFO of (epoch, attempt, deadline) triples in one growable ring of numbers: O(1) push and
 * shift, and no heap object per entry (see InFlight for why). The ring doubles when full and halves
 * when three quarters empty, so its size follows the sends of one timeout period, never the run.
 */
export class DeadlineRing {
  private static readonly MIN_CAPACITY = 256;
  /** Triples, entry i at [3i, 3i + 2]; Float64 holds any epoch, attempt and clock value exactly. */
  private slots = new Float64Array(3 * DeadlineRing.MIN_CAPACITY);
  private capacity = DeadlineRing.MIN_CAPACITY;
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Entries the ring has room for now (for tests: its memory is 24 bytes per entry of room). */
  get room(): number {
    return this.capacity;
  }

  push(epoch: number, attempt: number, deadline: number): void {
    if (this.count === this.capacity) this.resize(this.capacity * 2);
    const at = 3 * ((this.head + this.count) % this.capacity);
    this.slots[at] = epoch;
    this.slots[at + 1] = attempt;
    this.slots[at + 2] = deadline;
    this.count++;
  }

  /** The oldest entry's fields; only while length > 0. */
  headEpoch(): number {
    return this.slots[3 * this.head] as number;
  }

  headAttempt(): number {
    return this.slots[3 * this.head + 1] as number;
  }

  headDeadline(): number {
    return this.slots[3 * this.head + 2] as number;
  }

  /** Drops the oldest entry (nothing when empty). */
  shift(): void {
    if (this.count === 0) return;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    if (this.capacity > DeadlineRing.MIN_CAPACITY && this.count * 4 <= this.capacity)
      this.resize(this.capacity / 2);
  }

  private resize(capacity: number): void {
    const slots = new Float64Array(3 * capacity);
    for (let i = 0; i < this.count; i++) {
      const from = 3 * ((this.head + i) % this.capacity);
      for (let field = 0; field < 3; field++)
        slots[3 * i + field] = this.slots[from + field] as number;
    }
    this.slots = slots;
    this.capacity = capacity;
    this.head = 0;
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
