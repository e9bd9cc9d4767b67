import type { EffectRecord, EffectSink } from '../shared/records.js';
import type { DedupeStore, StoreKind } from './contract.js';

/**
 * A Set in each worker process: fast, forgotten when the process dies, and invisible to the other
 * workers. That is the lesson: exactly-once with this store duplicates as soon as a retry lands on
 * another worker, or on a restarted one.
 */
export const memoryStore: StoreKind = {
  name: 'memory',
  summary: 'per-worker memory: lost on crash, not shared between workers',
  async prepare() {},
  async open(plan, ledger, now) {
    return new MemoryDedupeStore(ledger, plan.dedupeTtlMs, now ?? Date.now);
  },
  // Its atomic executions go to the worker's own effect ledger, which the loader already reads.
  async *readEffects(): AsyncIterable<EffectRecord> {},
};

class MemoryDedupeStore implements DedupeStore {
  /** Epoch → when its mark expires (Infinity without a TTL). */
  private readonly marks = new Map<number, number>();

  constructor(
    private readonly ledger: EffectSink,
    private readonly ttlMs: number | undefined,
    private readonly now: () => number,
  ) {}

  async isMarked(epoch: number): Promise<boolean> {
    return this.has(epoch);
  }

  async mark(epoch: number): Promise<void> {
    this.marks.set(epoch, this.expiry());
  }

  async markIfAbsent(epoch: number): Promise<boolean> {
    if (this.has(epoch)) return false;
    this.marks.set(epoch, this.expiry());
    return true;
  }

  async executeOnce(epoch: number, attempt: number, worker: string): Promise<boolean> {
    // Synchronous from check to mark, so no crash point and no other message can come between.
    if (this.has(epoch)) return false;
    this.ledger.record(epoch, attempt, worker);
    this.marks.set(epoch, this.expiry());
    return true;
  }

  private has(epoch: number): boolean {
    const expiresAt = this.marks.get(epoch);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  private expiry(): number {
    return this.ttlMs === undefined ? Infinity : this.now() + this.ttlMs;
  }

  async close(): Promise<void> {}
}
