import { UsageError } from '../shared/errors.js';
import type { Transport } from './contract.js';

/**
 * Transports by CLI name, each loaded on first use: a transport's module brings its client
 * library (kafkajs alone is some 150 files), and a process loads only the one its run uses.
 * The names are known without loading anything, for flags, help and validation.
 */
const TRANSPORTS: ReadonlyMap<string, () => Promise<Transport>> = new Map([
  ['zmq', async () => (await import('./zmq/zmq-transport.js')).zmqTransport],
  ['redis', async () => (await import('./redis/redis-transport.js')).redisTransport],
  ['kafka', async () => (await import('./kafka/kafka-transport.js')).kafkaTransport],
]);

export const TRANSPORT_NAMES = [...TRANSPORTS.keys()];

export function assertTransportName(name: string): void {
  if (TRANSPORTS.has(name)) return;
  throw new UsageError(`unknown transport '${name}'; available: ${TRANSPORT_NAMES.join(', ')}`);
}

/** The transport called `name`, its module (and client library) loaded now if not yet. */
export async function loadTransport(name: string): Promise<Transport> {
  assertTransportName(name);
  return (TRANSPORTS.get(name) as () => Promise<Transport>)();
}
