import type { AckMessage, WorkMessage } from './contract.js';

/**
 * The text every transport puts on its wire (a ZeroMQ frame, a Redis list item, a Kafka record
 * value): short ASCII records, "epoch:attempt" for work and "epoch:attempt:worker" for acks and
 * effects. Text keeps a packet capture, a redis-cli LRANGE or a kafka-console-consumer readable in
 * class. One codec for all transports, so they cannot drift apart.
 */
export function encodeWork(message: WorkMessage): string {
  // Virtual-clock runs add the instant of receipt: "17:2@405" is epoch 17, attempt 2, at 405 ms.
  const base = `${message.epoch}:${message.attempt}`;
  return message.at === undefined ? base : `${base}@${message.at}`;
}

/** `where` names the place the text came from, for the error ("on the ZeroMQ link"). */
export function decodeWork(text: string, where: string): WorkMessage {
  const [ids = '', at] = text.split('@');
  const [epoch, attempt] = ids.split(':');
  const message = {
    epoch: toPositiveInt(epoch, 'epoch', text, where),
    attempt: toPositiveInt(attempt, 'attempt', text, where),
  };
  if (at === undefined) return message;
  const instant = Number(at);
  if (!Number.isFinite(instant) || instant < 0 || at.trim() === '')
    throw new Error(`malformed instant '${at}' in '${text}' ${where}`);
  return { ...message, at: instant };
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
