import { UsageError } from '../shared/errors.js';
import type { Transport } from './contract.js';
import { kafkaTransport } from './kafka/kafka-transport.js';
import { redisTransport } from './redis/redis-transport.js';
import { zmqTransport } from './zmq/zmq-transport.js';

/** Transports by CLI name. */
const TRANSPORTS: ReadonlyMap<string, Transport> = new Map([
  [zmqTransport.name, zmqTransport],
  [redisTransport.name, redisTransport],
  [kafkaTransport.name, kafkaTransport],
]);

export const TRANSPORT_NAMES = [...TRANSPORTS.keys()];

export function assertTransportName(name: string): void {
  if (TRANSPORTS.has(name)) return;
  throw new UsageError(`unknown transport '${name}'; available: ${TRANSPORT_NAMES.join(', ')}`);
}

export function getTransport(name: string): Transport {
  assertTransportName(name);
  return TRANSPORTS.get(name) as Transport;
}
