import Database from 'better-sqlite3';
import { join } from 'node:path';
import { nowMs } from '../clock/wall-clock.js';
import type { EffectRecord } from '../shared/records.js';
import type { DedupeStore, StoreContext, StoreKind } from './contract.js';

/**
 * One embedded SQLite file in the run folder, shared by every local worker process (WAL mode, so
 * readers never wait for the writer). Marks survive crashes and every worker sees them.
 */
export const sqliteStore: StoreKind = {
  name: 'sqlite',
  summary: 'one embedded SQLite file shared by all local workers (the default)',

  async prepare(plan) {
    const db = openDatabase(plan);
    db.exec(`
      CREATE TABLE IF NOT EXISTS marks (epoch INTEGER PRIMARY KEY, expires_at REAL);
      CREATE TABLE IF NOT EXISTS effects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        t REAL NOT NULL, epoch INTEGER NOT NULL, attempt INTEGER NOT NULL, worker TEXT NOT NULL
      );`);
    db.close();
  },

  async open(plan, _ledger, now) {
    return new SqliteDedupeStore(openDatabase(plan), plan.dedupeTtlMs, now ?? Date.now);
  },

  async *readEffects(plan): AsyncIterable<EffectRecord> {
    const db = openDatabase(plan, { readonly: true });
    try {
      const rows = db
        .prepare('SELECT t, epoch, attempt, worker FROM effects ORDER BY id')
        .iterate();
      for (const row of rows) yield row as EffectRecord;
    } finally {
      db.close();
    }
  },
};

export function sqliteStorePath(plan: StoreContext): string {
  return join(plan.runDir, 'store.sqlite');
}

function openDatabase(plan: StoreContext, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(sqliteStorePath(plan), { readonly: options.readonly ?? false });
  // Several worker processes write this file; wait for the lock rather than fail.
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives the death of the process (the lab's crashes), and
    // skips the fsync that only a power cut would need.
    db.pragma('synchronous = NORMAL');
  }
  return db;
}

/**
 * Marks carry an expiry time (NULL: never), so a TTL can be a lesson parameter: a mark that expired
 * counts as absent, and marking again renews it.
 */
class SqliteDedupeStore implements DedupeStore {
  private readonly selectMark: Database.Statement<[number, number]>;
  private readonly upsertMark: Database.Statement<[number, number | null]>;
  private readonly insertMarkIfAbsent: Database.Statement<[number, number | null, number]>;
  private readonly insertEffect: Database.Statement<[number, number, number, string]>;
  private readonly executeOnceTransaction: (
    epoch: number,
    attempt: number,
    worker: string,
  ) => boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly ttlMs: number | undefined,
    /** TTLs are measured on this clock: wall time, or the message's virtual instant. */
    private readonly now: () => number,
  ) {
    this.selectMark = db.prepare(
      'SELECT 1 FROM marks WHERE epoch = ? AND (expires_at IS NULL OR expires_at > ?)',
    );
    this.upsertMark = db.prepare(
      'INSERT INTO marks (epoch, expires_at) VALUES (?, ?) ON CONFLICT (epoch) DO UPDATE SET expires_at = excluded.expires_at',
    );
    // One statement, so it is atomic across workers: inserts, or revives an expired mark, or does nothing.
    this.insertMarkIfAbsent = db.prepare(
      `INSERT INTO marks (epoch, expires_at) VALUES (?, ?) ON CONFLICT (epoch) DO UPDATE SET expires_at = excluded.expires_at
       WHERE marks.expires_at IS NOT NULL AND marks.expires_at <= ?`,
    );
    this.insertEffect = db.prepare(
      'INSERT INTO effects (t, epoch, attempt, worker) VALUES (?, ?, ?, ?)',
    );
    const transaction = db.transaction(
      (epoch: number, attempt: number, worker: string): boolean => {
        if (!this.markIfAbsentNow(epoch)) return false;
        this.insertEffect.run(nowMs(), epoch, attempt, worker);
        return true;
      },
    );
    // IMMEDIATE takes the write lock before the check, so two workers cannot both pass it.
    this.executeOnceTransaction = (epoch, attempt, worker) =>
      transaction.immediate(epoch, attempt, worker);
  }

  async isMarked(epoch: number): Promise<boolean> {
    return this.selectMark.get(epoch, this.now()) !== undefined;
  }

  async mark(epoch: number): Promise<void> {
    this.upsertMark.run(epoch, this.expiry());
  }

  async markIfAbsent(epoch: number): Promise<boolean> {
    return this.markIfAbsentNow(epoch);
  }

  async executeOnce(epoch: number, attempt: number, worker: string): Promise<boolean> {
    return this.executeOnceTransaction(epoch, attempt, worker);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private markIfAbsentNow(epoch: number): boolean {
    return this.insertMarkIfAbsent.run(epoch, this.expiry(), this.now()).changes === 1;
  }

  private expiry(): number | null {
    return this.ttlMs === undefined ? null : this.now() + this.ttlMs;
  }
}
