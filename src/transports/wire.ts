import type { AckMessage, WorkMessage } from './contract.js';

/**
 * The text every transport puts on its wire (a ZeroMQ frame, a Redis list item, a Kafka record
 * value): short ASCII records, "epoch:attempt" for work and "epoch:attempt:worker" for acks and
 * effects. Text keeps a packet capture, a redis-cli LRANGE or a kafka-console-consumer readable in
 * class. One codec for all transports, so they cannot drift apart.
 */
export function encodeWork(message: WorkMessage): string {
  return `${message.epoch}:${message.attempt}`;
}

/** `where` names the place the text came from, for the error ("on the ZeroMQ link"). */
export function decodeWork(text: string, where: string): WorkMessage {
  const [epoch, attempt] = text.split(':');
  return {
    epoch: toPositiveInt(epoch, 'epoch', text, where),
    attempt: toPositiveInt(attempt, 'attempt', text, where),
  };
}

export function encodeAck(ack: AckMessage): string {
  return `${ack.epoch}:${ack.attempt}:${ack.worker}`;
}

export function decodeAck(text: string, where: string): AckMessage {
  const [epoch, attempt, worker] = text.split(':');
  if (!worker) throw new Error(`malformed ack '${text}' ${where}`);
  return {
    epoch: toPositiveInt(epoch, 'epoch', text, where),
    attempt: toPositiveInt(attempt, 'attempt', text, where),
    worker,
  };
}

function toPositiveInt(
  part: string | undefined,
  field: string,
  text: string,
  where: string,
): number {
  const value = Number(part);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`malformed ${field} '${part}' in '${text}' ${where}`);
  return value;
}
