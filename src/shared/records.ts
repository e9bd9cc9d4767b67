/**
 * One executed effect. The effect ledger is where the work's effect lands (the "database" the
 * work writes to); the checker counts executions there, never in a process's memory.
 */
export interface EffectRecord {
  t: number;
  epoch: number;
  attempt: number;
  worker: string;
}

/** Where a worker's effects are appended (its ledger file); stores that keep no effects use it. */
export interface EffectSink {
  record(epoch: number, attempt: number, worker: string): void;
}
