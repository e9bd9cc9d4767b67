import type { AckMessage, WorkMessage } from '../contract.js';

/**
 * The bytes on a ZeroMQ link: short ASCII records, "epoch:attempt" for work and
 * "epoch:attempt:worker" for acks. Text keeps a packet capture readable in class.
 */
export function encodeWork(message: WorkMessage): string {
  return `${message.epoch}:${message.attempt}`;
}

export function decodeWork(frame: Buffer): WorkMessage {
  const [epoch, attempt] = frame.toString('latin1').split(':');
  return { epoch: toPositiveInt(epoch, 'epoch'), attempt: toPositiveInt(attempt, 'attempt') };
}

export function encodeAck(ack: AckMessage): string {
  return `${ack.epoch}:${ack.attempt}:${ack.worker}`;
}

export function decodeAck(frame: Buffer): AckMessage {
  const [epoch, attempt, worker] = frame.toString('latin1').split(':');
  if (!worker) throw new Error(`malformed ack frame '${frame.toString('latin1')}'`);
  return {
    epoch: toPositiveInt(epoch, 'epoch'),
    attempt: toPositiveInt(attempt, 'attempt'),
    worker,
  };
}

function toPositiveInt(text: string | undefined, field: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`malformed ${field} '${text}' on the wire`);
  return value;
}
