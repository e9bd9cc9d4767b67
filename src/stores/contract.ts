import type { EffectRecord, EffectSink } from '../shared/records.js';

/** What a store needs to know of the run (a RunPlan has all of it). */
export interface StoreContext {
  readonly runId: string;
  /** The run's folder; file-based stores keep their file here. */
  readonly runDir: string;
  /** How long a mark lasts; absent: the whole run. */
  readonly dedupeTtlMs?: number;
  readonly redisUrl?: string;
  /** Leave what the run stored in a shared service, for inspection. */
  readonly keep?: boolean;
}

/**
 * The dedupe store: where a worker records which epochs were executed (the slides'
 * `ja_executada` / `marcar_executada`). Where it lives is a lesson parameter: a per-process memory
 * store forgets on crash and is not shared, a shared store is seen by every worker.
 *
 * Every method is atomic with respect to other workers. `executeOnce` is the atomic preset's single
 * transaction: it must make the check, the effect and the mark one indivisible step, so the store
 * records that effect itself (the effect and its mark live in the same database), and the history
 * loader reads those effects back through `StoreKind.readEffects`.
 */
export interface DedupeStore {
  /** Was this epoch marked as executed? */
  isMarked(epoch: number): Promise<boolean>;
  /** Marks this epoch as executed. */
  mark(epoch: number): Promise<void>;
  /** Marks this epoch unless it is already marked; true when this call made the mark. */
  markIfAbsent(epoch: number): Promise<boolean>;
  /** In one transaction: unless marked, apply the effect and mark. True when it executed. */
  executeOnce(epoch: number, attempt: number, worker: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A kind of store, picked by name from the registry (./registry.ts). */
export interface StoreKind {
  readonly name: string;
  readonly summary: string;
  /** Once per run, in the supervisor, before any worker starts (create tables, check reachability). */
  prepare(context: StoreContext): Promise<void>;
  /** In each worker process. `ledger` is that process's effect ledger, for stores that keep no effects. */
  /**
   * `now`: the clock TTLs are measured on (on the virtual clock, the virtual instant of the
   * message being handled); absent: wall time.
   */
  open(context: StoreContext, ledger: EffectSink, now?: () => number): Promise<DedupeStore>;
  /** Effects this store recorded itself through `executeOnce`, after the run. */
  readEffects(context: StoreContext): AsyncIterable<EffectRecord>;
  /** After the run has been checked: delete what the run left in a shared service (unless kept). */
  cleanup?(context: StoreContext): Promise<void>;
  /** After a run stalled: does the shared service still answer? (see Transport.probe) */
  probe?(context: StoreContext): Promise<void>;
}
