import type { EffectLedger, EffectRecord } from '../core/journal.js';
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
  async open(_plan, ledger) {
    return new MemoryDedupeStore(ledger);
  },
  // Its atomic executions go to the worker's own effect ledger, which the loader already reads.
  async *readEffects(): AsyncIterable<EffectRecord> {},
};

class MemoryDedupeStore implements DedupeStore {
  private readonly marked = new Set<number>();

  constructor(private readonly ledger: EffectLedger) {}

  async isMarked(epoch: number): Promise<boolean> {
    return this.marked.has(epoch);
  }

  async mark(epoch: number): Promise<void> {
    this.marked.add(epoch);
  }

  async markIfAbsent(epoch: number): Promise<boolean> {
    if (this.marked.has(epoch)) return false;
    this.marked.add(epoch);
    return true;
  }

  async executeOnce(epoch: number, attempt: number, worker: string): Promise<boolean> {
    // Synchronous from check to mark, so no crash point and no other message can come between.
    if (this.marked.has(epoch)) return false;
    this.ledger.record(epoch, attempt, worker);
    this.marked.add(epoch);
    return true;
  }

  async close(): Promise<void> {}
}
