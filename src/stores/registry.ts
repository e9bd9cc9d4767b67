import { UsageError } from '../shared/errors.js';
import type { StoreKind } from './contract.js';

/**
 * Dedupe stores by CLI name, each loaded on first use (like the transports, ../transports/
 * registry.ts): better-sqlite3 and ioredis are loaded only by a run that uses them.
 */
const STORES: ReadonlyMap<string, () => Promise<StoreKind>> = new Map([
  ['sqlite', async () => (await import('./sqlite-store.js')).sqliteStore],
  ['memory', async () => (await import('./memory-store.js')).memoryStore],
  ['redis', async () => (await import('./redis-store.js')).redisStore],
]);

export const STORE_NAMES = [...STORES.keys()];

/** The store called `name`, its module (and client library) loaded now if not yet. */
export async function loadStore(name: string): Promise<StoreKind> {
  const load = STORES.get(name);
  if (!load) {
    throw new UsageError(`store '${name}' is not available; available: ${STORE_NAMES.join(', ')}`);
  }
  return load();
}
