import { UsageError } from '../shared/errors.js';
import type { Transport } from './contract.js';
import { redisTransport } from './redis/redis-transport.js';
import { zmqTransport } from './zmq/zmq-transport.js';

/**
 * Transports by CLI name. Names listed in PLANNED are known but not built yet, so the CLI can say
 * so instead of calling them unknown.
 */
const TRANSPORTS: ReadonlyMap<string, Transport> = new Map([
  [zmqTransport.name, zmqTransport],
  [redisTransport.name, redisTransport],
]);

const PLANNED = ['kafka'] as const;

export const TRANSPORT_NAMES = [...TRANSPORTS.keys()];

export function assertTransportName(name: string): void {
  if (TRANSPORTS.has(name)) return;
  if ((PLANNED as readonly string[]).includes(name)) {
    throw new UsageError(
      `transport '${name}' is not available yet in this version of semlab; available: ${TRANSPORT_NAMES.join(', ')}`,
    );
  }
  throw new UsageError(`unknown transport '${name}'; available: ${TRANSPORT_NAMES.join(', ')}`);
}

export function getTransport(name: string): Transport {
  assertTransportName(name);
  return TRANSPORTS.get(name) as Transport;
}
