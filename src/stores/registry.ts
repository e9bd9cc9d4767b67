import { UsageError } from '../shared/errors.js';
import type { StoreKind } from './contract.js';
import { memoryStore } from './memory-store.js';
import { redisStore } from './redis-store.js';
import { sqliteStore } from './sqlite-store.js';

/** Dedupe stores by CLI name. */
const STORES: ReadonlyMap<string, StoreKind> = new Map([
  [sqliteStore.name, sqliteStore],
  [memoryStore.name, memoryStore],
  [redisStore.name, redisStore],
]);

export const STORE_NAMES = [...STORES.keys()];

export function getStore(name: string): StoreKind {
  const store = STORES.get(name);
  if (!store) {
    throw new UsageError(`store '${name}' is not available; available: ${STORE_NAMES.join(', ')}`);
  }
  return store;
}
