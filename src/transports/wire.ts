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

/**
 * `where` names the place the text came from, for the error ("on the ZeroMQ link"). The form
 * `encodeWork` writes is scanned (see decodeWorkPack); anything else is read field by field.
 */
export function decodeWork(text: string, where: string): WorkMessage {
  return scanWork(text, 0, text.length) ?? readWork(text, where);
}

function readWork(text: string, where: string): WorkMessage {
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

/**
 * The messages of a pack (one message is a pack of one), in order. Read character by character
 * in the form `encodeWork` writes; anything else goes through `decodeWork`, which reads it or says
 * what is wrong with it. (Splitting and Number() cost about 0.8 µs a message, the scan a tenth.)
 */
export function decodeWorkPack(text: string, where: string): WorkMessage[] {
  const messages: WorkMessage[] = [];
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf(PACK_SEPARATOR, start);
    if (end < 0) end = text.length;
    messages.push(scanWork(text, start, end) ?? readWork(text.slice(start, end), where));
    start = end + 1;
  }
  return messages;
}

export function encodeAckPack(acks: readonly AckMessage[]): string {
  return acks.map(encodeAck).join(PACK_SEPARATOR);
}

/** The acks of a pack, in order (read as `decodeWorkPack` reads work). */
export function decodeAckPack(text: string, where: string): AckMessage[] {
  const acks: AckMessage[] = [];
  let worker = '';
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf(PACK_SEPARATOR, start);
    if (end < 0) end = text.length;
    const ack = scanAck(text, start, end, worker) ?? readAck(text.slice(start, end), where);
    // A pack's acks are one worker's: its name is cut out of the text once.
    worker = ack.worker;
    acks.push(ack);
    start = end + 1;
  }
  return acks;
}

// The scanners: the canonical form only (digits, no sign, no blanks), else undefined.
const COLON = 58;
const AT = 64;
/** Digits beyond this many may not be exact in a double: left to Number(). */
const MOST_DIGITS = 15;
/** Where the digits starting at `start` end, and their value (`scanned`), or -1 if there are none. */
let scanned = 0;
function scanDigits(text: string, start: number, end: number): number {
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) break;
    value = value * 10 + code;
  }
  if (i === start || i - start > MOST_DIGITS) return -1;
  scanned = value;
  return i;
}

function scanWork(text: string, start: number, end: number): WorkMessage | undefined {
  let i = scanDigits(text, start, end);
  const epoch = scanned;
  if (i < 0 || epoch < 1 || text.charCodeAt(i) !== COLON) return undefined;
  i = scanDigits(text, i + 1, end);
  const attempt = scanned;
  if (i < 0 || attempt < 1) return undefined;
  if (i === end) return { epoch, attempt };
  if (text.charCodeAt(i) !== AT) return undefined;
  i = scanDigits(text, i + 1, end);
  if (i !== end) return undefined;
  return { epoch, attempt, at: scanned };
}

/** `lastWorker`: the name of the ack before, reused when this one has the same. */
function scanAck(
  text: string,
  start: number,
  end: number,
  lastWorker: string,
): AckMessage | undefined {
  let i = scanDigits(text, start, end);
  const epoch = scanned;
  if (i < 0 || epoch < 1 || text.charCodeAt(i) !== COLON) return undefined;
  i = scanDigits(text, i + 1, end);
  const attempt = scanned;
  if (i < 0 || attempt < 1 || text.charCodeAt(i) !== COLON || i + 1 === end) return undefined;
  const from = i + 1;
  const worker =
    end - from === lastWorker.length && text.startsWith(lastWorker, from)
      ? lastWorker
      : text.slice(from, end);
  if (worker.includes(':') || worker.includes(PACK_SEPARATOR)) return undefined;
  return { epoch, attempt, worker };
}

/** Never part of a message: numbers, ':', '@' and worker names ("w2"). */
const PACK_SEPARATOR = ' ';

export function encodeAck(ack: AckMessage): string {
  return `${ack.epoch}:${ack.attempt}:${ack.worker}`;
}

export function decodeAck(text: string, where: string): AckMessage {
  return scanAck(text, 0, text.length, '') ?? readAck(text, where);
}

function readAck(text: string, where: string): AckMessage {
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
