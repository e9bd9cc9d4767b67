import { UsageError } from '../core/errors.js';
import type { StoreKind } from './contract.js';
import { memoryStore } from './memory-store.js';
import { sqliteStore } from './sqlite-store.js';

/** Dedupe stores by CLI name. */
const STORES: ReadonlyMap<string, StoreKind> = new Map([
  [sqliteStore.name, sqliteStore],
  [memoryStore.name, memoryStore],
]);

export const STORE_NAMES = [...STORES.keys()];

export function getStore(name: string): StoreKind {
  const store = STORES.get(name);
  if (!store) {
    const later = name === 'redis' ? ' yet in this version of semlab' : '';
    throw new UsageError(
      `store '${name}' is not available${later}; available: ${STORE_NAMES.join(', ')}`,
    );
  }
  return store;
}
