import { localized, type LocalizedText } from '../../i18n/catalog.js';
import type { CustomSteps, StepOps } from '../worker.js';
import type { WorkMessage } from '../../transports/contract.js';
import type { ChildChannel, Received } from './child-process.js';
import {
  ERROR_CODES,
  parseWorkerLine,
  REPLY_TO,
  type RequestType,
  type ReplyBody,
  type SemlabMessage,
} from './messages.js';

/**
 * semlab's side of the protocol with one student worker (docs/worker-protocol.md): `init` once,
 * then for each message `work` and the worker's requests, each carried out through the journalled
 * operations of src/core/worker.ts (StepOps), until its `ack`. The worker's every step is thus a
 * built-in worker's step: journalled the same way, with the same crash points.
 *
 * A worker that breaks the protocol (a line that is not a message, a request for an epoch it does
 * not hold, no answer in time, an exit of its own) ends the run with a ProtocolViolation: one line
 * naming what it did and the line.
 */
export class ProtocolViolation extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.key);
    this.name = 'ProtocolViolation';
  }
}

/** How long a worker may take to answer `init`, wall time: it may be loading an interpreter. */
export const INIT_ANSWER_MS = 15_000;

/**
 * How long a worker may take, wall time, for its next line once it holds a message. Generous for
 * a loaded machine; SEMLAB_WORKER_ANSWER_MS overrides it (tests of a hanging worker).
 */
export function answerLimitMs(): number {
  const asked = Number(process.env.SEMLAB_WORKER_ANSWER_MS);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : 5_000;
}

export interface StudentInfo {
  readonly worker: string;
  readonly incarnation: number;
  readonly semantics: string;
  readonly store: string;
  readonly transport: string;
  readonly workers: number;
  readonly messages: number;
}

export class StudentWorker {
  private nextId = 1;

  constructor(
    private readonly channel: ChildChannel,
    private readonly info: StudentInfo,
    private readonly answerMs: number = answerLimitMs(),
  ) {}

  /** Sends `init` and waits for its `init_ok`. */
  async init(): Promise<void> {
    const id = this.send({ type: 'init', ...this.info });
    const line = await this.nextLine(INIT_ANSWER_MS);
    const parsed = parseWorkerLine(line.text);
    if (!parsed.ok) throw this.badLine(line, parsed.problem.kind, problemDetail(parsed.problem));
    if (parsed.message.type !== 'init_ok') throw this.badLine(line, 'not-init-ok', '');
    if (parsed.message.in_reply_to !== id) throw this.badLine(line, 'bad-field', 'in_reply_to');
  }

  /** The steps serveWork runs for each message (src/core/worker.ts). */
  readonly steps: CustomSteps = async (m, ops) => {
    this.send({ type: 'work', epoch: m.epoch, attempt: m.attempt, payload: `job ${m.epoch}` });
    let executed = false;
    for (;;) {
      const line = await this.nextLine(this.answerMs);
      const parsed = parseWorkerLine(line.text);
      if (!parsed.ok) throw this.badLine(line, parsed.problem.kind, problemDetail(parsed.problem));
      const request = parsed.message;
      if (request.type === 'init_ok') throw this.badLine(line, 'unknown-type', 'init_ok');
      if (request.epoch !== m.epoch) {
        throw new ProtocolViolation(
          localized('studentWrongEpoch', {
            worker: this.info.worker,
            line: line.number,
            type: request.type,
            epoch: request.epoch,
            inHand: m.epoch,
            text: line.text,
          }),
        );
      }
      if (request.type === 'ack') {
        // Nothing was executed for this delivery: the ack stands for a skip, as in the presets.
        if (!executed) ops.skip(m);
        this.reply(request.id, { type: 'ack_ok' });
        return;
      }
      let body: ReplyBody;
      try {
        const outcome = await perform(request.type, m, ops);
        if (outcome.executed) executed = true;
        body = outcome.body;
      } catch (error) {
        // The worker's process is killed by a crash point before this (die() never returns); what
        // reaches here is a store that failed, which the worker is told about as a typed error.
        const kind = isUnreachable(error) ? ERROR_CODES.storeUnavailable : ERROR_CODES.storeFailed;
        this.channel.send(
          JSON.stringify({
            id: this.nextId++,
            in_reply_to: request.id,
            type: 'error',
            code: kind.code,
            definite: kind.definite,
            text: error instanceof Error ? error.message : String(error),
          } satisfies SemlabMessage),
        );
        continue;
      }
      this.reply(request.id, body);
    }
  };

  private send(message: DistributiveOmit<SemlabMessage, 'id'>): number {
    const id = this.nextId++;
    this.channel.send(JSON.stringify({ id, ...message }));
    return id;
  }

  private reply(inReplyTo: number, body: ReplyBody): void {
    this.send({ in_reply_to: inReplyTo, ...body });
  }

  /** The worker's next line; its exit or its silence is a violation. */
  private async nextLine(limitMs: number): Promise<Extract<Received, { kind: 'line' }>> {
    const received = await this.channel.receive(limitMs);
    if (received.kind === 'line') return received;
    if (received.kind === 'timeout') {
      throw new ProtocolViolation(
        localized('studentNoAnswer', {
          worker: this.info.worker,
          ms: limitMs,
          text: this.channel.lastSent,
        }),
      );
    }
    throw new ProtocolViolation(
      localized('studentExited', {
        worker: this.info.worker,
        how: received.signal ?? `code ${received.code}`,
        // The shell's answer for a command it could not find or run.
        notFound: received.code === 127 || received.code === 126,
        lines: this.channel.lineCount,
      }),
    );
  }

  private badLine(
    line: Extract<Received, { kind: 'line' }>,
    problem: string,
    detail: string,
  ): ProtocolViolation {
    return new ProtocolViolation(
      localized('studentBadLine', {
        worker: this.info.worker,
        line: line.number,
        problem,
        detail,
        text: line.text,
      }),
    );
  }
}

/** One request carried out; `executed`: the effect was applied for this delivery. */
async function perform(
  type: Exclude<RequestType, 'ack'>,
  m: WorkMessage,
  ops: StepOps,
): Promise<{ body: ReplyBody; executed: boolean }> {
  switch (type) {
    case 'execute':
      await ops.execute(m);
      return { body: { type: REPLY_TO.execute as 'execute_ok' }, executed: true };
    case 'is_marked':
      return { body: { type: 'is_marked_ok', marked: await ops.isMarked(m) }, executed: false };
    case 'mark':
      await ops.mark(m);
      return { body: { type: 'mark_ok' }, executed: false };
    case 'mark_if_absent':
      return {
        body: { type: 'mark_if_absent_ok', marked: await ops.markIfAbsent(m) },
        executed: false,
      };
    case 'execute_once': {
      const executed = await ops.executeOnce(m);
      return { body: { type: 'execute_once_ok', executed }, executed };
    }
  }
}

function problemDetail(problem: { kind: string; field?: string; type?: string }): string {
  return problem.field ?? problem.type ?? '';
}

function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH';
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
