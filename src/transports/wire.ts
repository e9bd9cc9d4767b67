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

/**
 * Several messages in one wire message (a pack), separated by spaces: "17:1@405 18:1@405". Where a
 * transport pays per wire message (a ZeroMQ frame costs a native call and a few system calls on
 * each end), a pack carries what leaves for one process at once; each message keeps its own fields.
 */
export function encodeWorkPack(messages: readonly WorkMessage[]): string {
  return messages.map(encodeWork).join(PACK_SEPARATOR);
}

/** The messages of a pack (one message is a pack of one), in order. */
export function decodeWorkPack(text: string, where: string): WorkMessage[] {
  return text.split(PACK_SEPARATOR).map((part) => decodeWork(part, where));
}

export function encodeAckPack(acks: readonly AckMessage[]): string {
  return acks.map(encodeAck).join(PACK_SEPARATOR);
}

export function decodeAckPack(text: string, where: string): AckMessage[] {
  return text.split(PACK_SEPARATOR).map((part) => decodeAck(part, where));
}

/** Never part of a message: numbers, ':', '@' and worker names ("w2"). */
const PACK_SEPARATOR = ' ';

export function encodeAck(ack: AckMessage): string {
  return `${ack.epoch}:${ack.attempt}:${ack.worker}`;
}

export function decodeAck(text: string, where: string): AckMessage {
  const parts = text.split(':');
  const [epoch, attempt, worker] = parts;
  if (!worker || parts.length !== 3 || worker.includes(PACK_SEPARATOR))
    throw new Error(`malformed ack '${text}' ${where}`);
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
