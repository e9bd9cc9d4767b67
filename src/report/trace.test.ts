import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../core/journal.js';
import type { RunPlan } from '../core/run-plan.js';
import { Tracer } from './trace.js';

type Plan = ConstructorParameters<typeof Tracer>[0];
const basePlan: Plan = {
  messages: 1,
  semantics: 'at-least-once',
  timeoutMs: 200,
  store: 'sqlite',
  workers: 2,
};

/** Feeds events (any order, as the journals come) and returns the story of epoch 1. */
function storyOf(
  events: JournalEvent[],
  plan: Partial<Pick<RunPlan, 'semantics' | 'store' | 'dedupeTtlMs'>> = {},
) {
  const tracer = new Tracer({ ...basePlan, ...plan });
  for (const event of [...events].reverse()) tracer.addEvent(event);
  const [story] = [...tracer.stories()];
  return story;
}

const e = 1;
const send = (t: number, attempt: number): JournalEvent => ({ t, kind: 'send', epoch: e, attempt });
const receive = (t: number, worker: string, attempt: number): JournalEvent => ({
  t,
  kind: 'receive',
  epoch: e,
  attempt,
  worker,
});
const execute = (t: number, worker: string, attempt: number): JournalEvent => ({
  t,
  kind: 'execute',
  epoch: e,
  attempt,
  worker,
});
const mark = (t: number, worker: string, attempt: number): JournalEvent => ({
  t,
  kind: 'mark',
  epoch: e,
  attempt,
  worker,
});
const skip = (t: number, worker: string, attempt: number): JournalEvent => ({
  t,
  kind: 'skip',
  epoch: e,
  attempt,
  worker,
});

describe('Tracer causes', () => {
  it('an ack held back past the timeout: a slow ack looks lost', () => {
    const story = storyOf([
      send(1, 1),
      receive(2, 'w1', 1),
      execute(3, 'w1', 1),
      { t: 4, kind: 'fault', fault: 'delay', direction: 'ack', epoch: e, attempt: 1, ms: 500 },
      { t: 201, kind: 'timeout', epoch: e, attempt: 1, retry: true },
      send(202, 2),
      receive(203, 'w2', 2),
      execute(204, 'w2', 2),
    ]);
    expect(story?.outcome).toBe('duplicate');
    expect(story?.cause?.kind).toBe('ack-late');
    expect(story?.cause?.text).toMatch(/500 ms late, past the 200 ms timeout/);
    // Sorted by time although fed backwards.
    expect(story?.steps[0]).toBe('sent');
    expect(story?.steps.at(-1)).toBe('executed again by w2: duplicate');
  });

  it('a mark in one worker’s memory store is not seen by another', () => {
    const story = storyOf(
      [
        send(1, 1),
        receive(2, 'w1', 1),
        execute(3, 'w1', 1),
        mark(4, 'w1', 1),
        send(300, 2),
        receive(301, 'w2', 2),
        execute(302, 'w2', 2),
      ],
      { semantics: 'exactly-once', store: 'memory' },
    );
    expect(story?.cause?.kind).toBe('per-worker-store');
  });

  it('a dedupe mark that expired before the retry', () => {
    const story = storyOf(
      [
        send(1, 1),
        receive(2, 'w1', 1),
        execute(3, 'w1', 1),
        mark(4, 'w1', 1),
        send(300, 2),
        receive(301, 'w1', 2),
        execute(302, 'w1', 2),
      ],
      { semantics: 'exactly-once', dedupeTtlMs: 50 },
    );
    expect(story?.cause?.kind).toBe('mark-expired');
  });

  it('the same attempt twice: the transport redelivered it', () => {
    const story = storyOf([
      send(1, 1),
      receive(2, 'w1', 1),
      execute(3, 'w1', 1),
      receive(900, 'w2', 1),
      execute(901, 'w2', 1),
    ]);
    expect(story?.cause?.kind).toBe('redelivered');
  });

  it('marked, then dead before executing: the retry skips work that never ran', () => {
    const story = storyOf(
      [
        send(1, 1),
        receive(2, 'w1', 1),
        mark(3, 'w1', 1),
        { t: 4, kind: 'crash', point: 'after-mark', epoch: e, attempt: 1, worker: 'w1' },
        send(300, 2),
        receive(301, 'w2', 2),
        skip(302, 'w2', 2),
      ],
      { semantics: 'at-most-once-execution' },
    );
    expect(story?.outcome).toBe('lost');
    expect(story?.cause?.kind).toBe('marked-then-died');
  });

  it('keeps only the epoch asked for', () => {
    const tracer = new Tracer({ ...basePlan, messages: 3 }, 2);
    tracer.addEvent({ t: 1, kind: 'send', epoch: 1, attempt: 1 });
    tracer.addEvent({ t: 1, kind: 'send', epoch: 2, attempt: 1 });
    tracer.addEffect({ t: 2, epoch: 2, attempt: 1, worker: 'w1' });
    expect([...tracer.stories()]).toEqual([
      {
        epoch: 2,
        outcome: 'ok',
        executions: 1,
        steps: ['sent', 'executed by w1'],
        timeline: [
          { kind: 'send', attempt: 1, at: 1 },
          { kind: 'execute', worker: 'w1', attempt: 1, again: false, at: 2 },
        ],
      },
    ]);
  });

  it('gives each step its instant and incarnation; a store’s effect takes its receipt’s', () => {
    const tracer = new Tracer({ ...basePlan, semantics: 'exactly-once-atomic' });
    tracer.addEvent(send(1000, 1), { at: 0, journal: 'dispatcher' });
    tracer.addEvent(receive(1010, 'w2', 1), { at: 1, journal: 'w2.3' });
    tracer.addEvent(
      { t: 990, kind: 'worker-start', worker: 'w2', incarnation: 3, pid: 9 },
      { at: 0, journal: 'supervisor' },
    );
    // No vt in a store's effect: on the virtual clock the caller passes no instant.
    tracer.addEffect({ t: 1011, epoch: 1, attempt: 1, worker: 'w2' });
    const [story] = [...tracer.stories()];
    expect(story?.timeline).toEqual([
      { kind: 'send', attempt: 1, at: 0 },
      { kind: 'receive', worker: 'w2', attempt: 1, at: 1, incarnation: 3 },
      { kind: 'execute', worker: 'w2', attempt: 1, again: false, at: 1, incarnation: 3 },
    ]);
    expect(tracer.workerStarts).toEqual([{ worker: 'w2', incarnation: 3, at: 0 }]);
  });

  it('keeps the cause’s facts beside its English sentence', () => {
    const story = storyOf(
      [
        send(1, 1),
        receive(2, 'w1', 1),
        execute(3, 'w1', 1),
        { t: 4, kind: 'crash', point: 'after-execute', epoch: e, attempt: 1, worker: 'w1' },
        send(300, 2),
        receive(301, 'w2', 2),
        execute(302, 'w2', 2),
      ],
      { semantics: 'exactly-once' },
    );
    expect(story?.cause).toEqual({
      kind: 'dedupe-hole',
      worker: 'w1',
      second: 'w2',
      text: 'w1 died after executing it and before marking it (the hole); w2 ran it again',
    });
  });
});
