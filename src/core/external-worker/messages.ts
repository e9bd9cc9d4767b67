/**
 * The worker protocol's messages (docs/worker-protocol.md), as values: what semlab sends, what a
 * student's worker may ask, and how one line of text becomes a checked request. Nothing here knows
 * how lines travel (a child's stdin/stdout today, a TCP socket later): framing lives in
 * ./child-process.ts, so another carrier can reuse every type and check below.
 */

/** semlab → worker. Every message has an `id`; replies name the request in `in_reply_to`. */
export type SemlabMessage =
  | {
      id: number;
      type: 'init';
      worker: string;
      incarnation: number;
      semantics: string;
      store: string;
      transport: string;
      workers: number;
      messages: number;
    }
  | { id: number; type: 'work'; epoch: number; attempt: number; payload: string }
  | ({ id: number; in_reply_to: number } & ReplyBody)
  | {
      id: number;
      in_reply_to: number;
      type: 'error';
      code: number;
      text: string;
      definite: boolean;
    };

export type ReplyBody =
  | { type: 'execute_ok' }
  | { type: 'is_marked_ok'; marked: boolean }
  | { type: 'mark_ok' }
  | { type: 'mark_if_absent_ok'; marked: boolean }
  | { type: 'execute_once_ok'; executed: boolean }
  | { type: 'ack_ok' };

/** The requests a worker makes while it holds a work message, each naming that epoch. */
export const REQUEST_TYPES = [
  'execute',
  'is_marked',
  'mark',
  'mark_if_absent',
  'execute_once',
  'ack',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** worker → semlab. */
export type WorkerMessage =
  | { id: number; in_reply_to: number; type: 'init_ok' }
  | { id: number; type: RequestType; epoch: number };

/**
 * Error codes, numbered like Maelstrom's. A definite error means the operation did not happen; an
 * indefinite one that it may or may not have (a store that failed in the middle of a call).
 */
export const ERROR_CODES = {
  /** Indefinite: the store failed during the call; the mark (or effect) may be there or not. */
  storeFailed: { code: 13, definite: false },
  /** Definite: the store refused the call before doing anything (it could not be reached). */
  storeUnavailable: { code: 11, definite: true },
} as const;

/** Why a line is not a valid worker message; `detail` is English, for the one-line verdict. */
export type LineProblem =
  | { kind: 'not-json' }
  | { kind: 'not-object' }
  | { kind: 'bad-field'; field: string }
  | { kind: 'unknown-type'; type: string };

/** One line of a worker's output, checked: a message, or what is wrong with it. */
export function parseWorkerLine(
  line: string,
): { ok: true; message: WorkerMessage } | { ok: false; problem: LineProblem } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: { kind: 'not-json' } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: { kind: 'not-object' } };
  }
  const body = value as Record<string, unknown>;
  if (typeof body.type !== 'string') return bad('type');
  if (!isWhole(body.id)) return bad('id');
  if (body.type === 'init_ok') {
    if (!isWhole(body.in_reply_to)) return bad('in_reply_to');
    return {
      ok: true,
      message: { id: body.id, in_reply_to: body.in_reply_to, type: 'init_ok' },
    };
  }
  if (!(REQUEST_TYPES as readonly string[]).includes(body.type)) {
    return { ok: false, problem: { kind: 'unknown-type', type: body.type } };
  }
  if (!isWhole(body.epoch)) return bad('epoch');
  return {
    ok: true,
    message: { id: body.id, type: body.type as RequestType, epoch: body.epoch },
  };
}

function bad(field: string): { ok: false; problem: LineProblem } {
  return { ok: false, problem: { kind: 'bad-field', field } };
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The reply type that answers each request. */
export const REPLY_TO: Readonly<Record<RequestType, ReplyBody['type']>> = {
  execute: 'execute_ok',
  is_marked: 'is_marked_ok',
  mark: 'mark_ok',
  mark_if_absent: 'mark_if_absent_ok',
  execute_once: 'execute_once_ok',
  ack: 'ack_ok',
};
