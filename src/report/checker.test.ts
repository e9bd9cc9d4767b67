import { describe, expect, it } from 'vitest';
import type { EffectRecord, JournalEvent } from '../core/journal.js';
import { PRESETS, SEMANTICS_NAMES, type SemanticsName } from '../core/semantics.js';
import type { FaultSpec } from '../faults/spec.js';
import { Checker, verdictFor } from './checker.js';

type Plan = ConstructorParameters<typeof Checker>[0];

function plan(overrides: Partial<Plan> = {}): Plan {
  return { messages: 5, semantics: 'at-least-once', faults: [], workers: 2, ...overrides };
}

let clock = 0;
const send = (epoch: number, attempt: number): JournalEvent => ({
  t: clock++,
  kind: 'send',
  epoch,
  attempt,
});
const receive = (epoch: number, attempt: number, worker: string): JournalEvent => ({
  t: clock++,
  kind: 'receive',
  epoch,
  attempt,
  worker,
});
const ack = (epoch: number, attempt: number, worker: string): JournalEvent => ({
  t: clock++,
  kind: 'ack',
  epoch,
  attempt,
  worker,
});
const reply = (epoch: number, attempt: number, worker: string): JournalEvent => ({
  t: clock++,
  kind: 'reply',
  epoch,
  attempt,
  worker,
});
const skip = (epoch: number, attempt: number, worker: string): JournalEvent => ({
  t: clock++,
  kind: 'skip',
  epoch,
  attempt,
  worker,
});
const effect = (epoch: number, attempt: number, worker: string): EffectRecord => ({
  t: clock++,
  epoch,
  attempt,
  worker,
});
const exit = (worker: string, expected: boolean): JournalEvent => ({
  t: clock++,
  kind: 'worker-exit',
  worker,
  incarnation: 1,
  code: expected ? 0 : null,
  signal: expected ? null : 'SIGKILL',
  expected,
});

/**
 * Five epochs, two workers:
 * - epoch 1: sent once, received and executed once by w1, acked.
 * - epoch 2: ack of attempt 1 slow, resent; both attempts received and executed (w1, w2); both
 *   acks arrive (a duplicate ack).
 * - epoch 3: sent three times; received by w2 and twice by w1; w1 skipped the last one (dedupe);
 *   executed twice; acked on attempt 3.
 * - epoch 4: sent once, received and executed by w2; the ack was lost.
 * - epoch 5: sent once and dropped on the way: never received, never executed, never acked.
 */
function history(): { events: JournalEvent[]; effects: EffectRecord[] } {
  const events: JournalEvent[] = [
    send(1, 1),
    receive(1, 1, 'w1'),
    reply(1, 1, 'w1'),
    ack(1, 1, 'w1'),
    send(2, 1),
    receive(2, 1, 'w1'),
    reply(2, 1, 'w1'),
    send(2, 2),
    receive(2, 2, 'w2'),
    reply(2, 2, 'w2'),
    ack(2, 1, 'w1'),
    ack(2, 2, 'w2'),
    send(3, 1),
    receive(3, 1, 'w2'),
    send(3, 2),
    receive(3, 2, 'w1'),
    send(3, 3),
    receive(3, 3, 'w1'),
    skip(3, 3, 'w1'),
    reply(3, 3, 'w1'),
    ack(3, 3, 'w1'),
    send(4, 1),
    receive(4, 1, 'w2'),
    reply(4, 1, 'w2'),
    send(5, 1),
  ];
  const effects = [
    effect(1, 1, 'w1'),
    effect(2, 1, 'w1'),
    effect(2, 2, 'w2'),
    effect(3, 1, 'w2'),
    effect(3, 2, 'w1'),
    effect(4, 1, 'w2'),
  ];
  return { events, effects };
}

function check(p: Plan, events: JournalEvent[], effects: EffectRecord[] = []) {
  const checker = new Checker(p);
  for (const event of events) checker.addEvent(event);
  for (const e of effects) checker.addEffect(e);
  return checker.result();
}

describe('Checker counts', () => {
  it('derives exact counts from a history with retries, repeats, duplicates and lost acks', () => {
    const { events, effects } = history();
    const counts = check(plan(), events, effects);
    expect(counts).toMatchObject({
      messages: 5,
      sent: 8,
      // sends after the first of each epoch: 8 sends of 5 epochs
      ['retries']: 8 - 5,
      delivered: 7,
      duplicateDeliveries: 3,
      executed: 6,
      duplicateExecutions: 2,
      acked: 3,
      lost: 1,
      externalKills: 0,
      identityHolds: true,
    });
  });

  it('satisfies executed = messages - lost + duplicateExecutions', () => {
    const { events, effects } = history();
    const counts = check(plan(), events, effects);
    expect(counts.executed).toBe(counts.messages - counts.lost + counts.duplicateExecutions);
    expect(counts.identityHolds).toBe(true);
  });

  it('gives the same counts whatever the order of the history', () => {
    const { events, effects } = history();
    const forward = check(plan(), events, effects);
    const checker = new Checker(plan());
    // Effects first, then the events backwards.
    for (const e of [...effects].reverse()) checker.addEffect(e);
    for (const event of [...events].reverse()) checker.addEvent(event);
    expect(checker.result()).toEqual(forward);
  });

  it('counts every epoch as lost in an empty history', () => {
    const counts = check(plan({ messages: 4 }), []);
    expect(counts).toMatchObject({
      sent: 0,
      retries: 0,
      delivered: 0,
      executed: 0,
      acked: 0,
      lost: 4,
      identityHolds: true,
    });
  });

  it('counts the effects the ledger holds, not the receipts', () => {
    // Received twice but executed once (the second receipt was skipped by the dedupe store).
    const counts = check(
      plan({ messages: 1 }),
      [send(1, 1), receive(1, 1, 'w1'), send(1, 2), receive(1, 2, 'w2'), skip(1, 2, 'w2')],
      [effect(1, 1, 'w1')],
    );
    expect(counts).toMatchObject({
      delivered: 2,
      duplicateDeliveries: 1,
      executed: 1,
      duplicateExecutions: 0,
      lost: 0,
    });
  });

  it('gives the verdict of the plan semantics', () => {
    const { events, effects } = history();
    expect(check(plan({ semantics: 'at-least-once' }), events, effects).verdict).toEqual({
      promise: 'never lost; may repeat',
      held: false,
      reason: '1 lost: at-least-once promises never lost',
    });
    expect(check(plan({ semantics: 'exactly-once' }), events, effects).verdict.reason).toBe(
      '1 lost and 2 duplicate executions: exactly-once promises never lost, never twice',
    );
  });

  it('throws when the history names an epoch outside 1..M', () => {
    const p = plan({ messages: 5 });
    expect(() => check(p, [send(0, 1)])).toThrow(/epoch 0, outside 1\.\.5/);
    expect(() => check(p, [send(6, 1)])).toThrow(/epoch 6, outside 1\.\.5/);
    expect(() => check(p, [receive(-1, 1, 'w1')])).toThrow(/outside 1\.\.5/);
    expect(() => check(p, [ack(2.5, 1, 'w1')])).toThrow(/outside 1\.\.5/);
    expect(() => check(p, [], [effect(6, 1, 'w1')])).toThrow(/epoch 6, outside 1\.\.5/);
    expect(() => check(p, [send(5, 1)])).not.toThrow();
  });
});

describe('Checker faults', () => {
  const faults: FaultSpec[] = [
    { type: 'drop', direction: 'work', probability: 0.1 },
    { type: 'drop', direction: 'ack', probability: 0.2 },
    { type: 'delay', direction: 'ack', ms: 500, probability: 0.3 },
    { type: 'delay', direction: 'ack', ms: 100, probability: 0.5 },
    { type: 'crash', point: 'after-execute', every: 3 },
    { type: 'crash', point: 'before-ack', every: 5 },
  ];

  const fault = (
    kind: 'drop' | 'delay',
    direction: 'work' | 'ack',
    epoch: number,
    ms?: number,
  ): JournalEvent => ({
    t: clock++,
    kind: 'fault',
    fault: kind,
    direction,
    epoch,
    attempt: 1,
    ...(ms === undefined ? {} : { ms }),
  });

  it('matches each injected fault to the spec that caused it', () => {
    const counts = check(plan({ messages: 10, faults }), [
      fault('drop', 'work', 1),
      fault('drop', 'work', 2),
      fault('drop', 'ack', 3),
      fault('delay', 'ack', 4, 100),
      fault('delay', 'ack', 5, 100),
      fault('delay', 'ack', 6, 100),
      fault('delay', 'ack', 7, 500),
      // Not configured: counted nowhere.
      fault('delay', 'work', 8, 100),
      fault('delay', 'ack', 8, 250),
      {
        t: clock++,
        kind: 'crash',
        point: 'after-execute',
        epoch: 3,
        attempt: 1,
        worker: 'w1',
      },
      {
        t: clock++,
        kind: 'crash',
        point: 'after-receive',
        epoch: 9,
        attempt: 1,
        worker: 'w2',
      },
    ]);
    expect(counts.faults.map((f) => f.injected)).toEqual([2, 1, 1, 3, 1, 0]);
    // The report carries the specs themselves, in the plan's order.
    expect(counts.faults).toEqual(
      faults.map((f, i) => ({ ...f, injected: [2, 1, 1, 3, 1, 0][i] })),
    );
  });

  it('reports zero for configured faults that never fired', () => {
    const counts = check(plan({ faults }), []);
    expect(counts.faults.map((f) => f.injected)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('Checker per worker', () => {
  it('counts deliveries, executions, skips, acks sent, crashes and deaths per worker', () => {
    const { events, effects } = history();
    const crash: JournalEvent = {
      t: clock++,
      kind: 'crash',
      point: 'after-execute',
      epoch: 4,
      attempt: 1,
      worker: 'w2',
    };
    const counts = check(
      plan(),
      [...events, crash, exit('w2', false), exit('w1', false), exit('w1', true)],
      effects,
    );
    expect(counts.perWorker).toEqual([
      { worker: 'w1', delivered: 4, executed: 3, skipped: 1, acksSent: 3, crashes: 0, deaths: 1 },
      { worker: 'w2', delivered: 3, executed: 3, skipped: 0, acksSent: 2, crashes: 1, deaths: 1 },
    ]);
    // Two unexpected deaths, one of them an injected crash: one kill from outside.
    expect(counts.externalKills).toBe(1);
  });

  it('lists every planned worker, idle ones too, in numeric order', () => {
    const counts = check(plan({ workers: 10, messages: 1 }), [receive(1, 1, 'w10')]);
    expect(counts.perWorker.map((w) => w.worker)).toEqual([
      'w1',
      'w2',
      'w3',
      'w4',
      'w5',
      'w6',
      'w7',
      'w8',
      'w9',
      'w10',
    ]);
    expect(counts.perWorker.find((w) => w.worker === 'w10')?.delivered).toBe(1);
    expect(counts.perWorker.find((w) => w.worker === 'w1')?.delivered).toBe(0);
  });

  it('counts externalKills as unexpected exits minus injected crashes, never below zero', () => {
    const crash = (worker: string): JournalEvent => ({
      t: clock++,
      kind: 'crash',
      point: 'before-ack',
      epoch: 1,
      attempt: 1,
      worker,
    });
    const p = plan({ messages: 1 });
    expect(
      check(p, [exit('w1', false), exit('w1', false), exit('w2', false), crash('w1')])
        .externalKills,
    ).toBe(2);
    // Expected exits (the end of the run) are not deaths.
    expect(check(p, [exit('w1', true), exit('w2', true)]).externalKills).toBe(0);
    // A crash event whose exit the supervisor did not see yet: not a negative kill count.
    expect(check(p, [crash('w1'), crash('w2'), exit('w1', false)]).externalKills).toBe(0);
  });

  it('counts each death nobody injected, so a crash that ends during the stop cannot hide a kill from outside', () => {
    const p = plan({ messages: 1 });
    const death = (worker: string, expected: boolean, injected: boolean): JournalEvent => ({
      t: clock++,
      kind: 'worker-exit',
      worker,
      incarnation: 1,
      code: null,
      signal: 'SIGKILL',
      expected,
      injected,
    });
    const crash: JournalEvent = {
      t: clock++,
      kind: 'crash',
      point: 'before-ack',
      epoch: 1,
      attempt: 1,
      worker: 'w1',
      fault: 0,
    };
    // w1's crash fired as the run stopped and the supervisor's stop killed it (an expected exit);
    // w2 was killed from outside. Deaths minus crashes would say 0.
    const counts = check(p, [crash, death('w1', true, true), death('w2', false, false)]);
    expect(counts.externalKills).toBe(1);
    expect(counts.perWorker.map((w) => [w.worker, w.crashes, w.deaths])).toEqual([
      ['w1', 1, 0],
      ['w2', 0, 1],
    ]);
    // Injected deaths, counted as deaths, are never kills from outside.
    expect(check(p, [crash, death('w1', false, true)]).externalKills).toBe(0);
    expect(check(p, [death('w1', false, false), death('w1', false, false)]).externalKills).toBe(2);
  });
});

describe('verdictFor', () => {
  it('uses the preset promise text for every preset', () => {
    for (const name of SEMANTICS_NAMES) {
      expect(verdictFor(name, 0, 0)).toEqual({
        promise: PRESETS[name].promise.text,
        held: true,
        reason: 'nothing lost, nothing executed twice',
      });
    }
  });

  const cases: [SemanticsName, number, number, boolean, string][] = [
    ['at-most-once', 3, 0, true, '3 lost: at-most-once allows this'],
    ['at-most-once', 0, 2, false, '2 duplicate executions: at-most-once promises never twice'],
    ['at-least-once', 0, 3, true, '3 duplicate executions: at-least-once allows this'],
    ['at-least-once', 0, 1, true, '1 duplicate execution: at-least-once allows this'],
    ['at-least-once', 2, 0, false, '2 lost: at-least-once promises never lost'],
    ['at-least-once', 1, 4, false, '1 lost: at-least-once promises never lost'],
    [
      'exactly-once',
      0,
      1,
      false,
      '1 duplicate execution: exactly-once promises never lost, never twice',
    ],
    ['exactly-once', 5, 0, false, '5 lost: exactly-once promises never lost, never twice'],
    [
      'exactly-once',
      2,
      3,
      false,
      '2 lost and 3 duplicate executions: exactly-once promises never lost, never twice',
    ],
    [
      'exactly-once-atomic',
      0,
      2,
      false,
      '2 duplicate executions: exactly-once-atomic promises never lost, never twice',
    ],
    [
      'exactly-once-atomic',
      1,
      0,
      false,
      '1 lost: exactly-once-atomic promises never lost, never twice',
    ],
    ['at-most-once-execution', 4, 0, true, '4 lost: at-most-once-execution allows this'],
    [
      'at-most-once-execution',
      0,
      1,
      false,
      '1 duplicate execution: at-most-once-execution promises never twice',
    ],
    ['at-most-once', 2, 1, false, '1 duplicate execution: at-most-once promises never twice'],
  ];

  it.each(cases)('%s with %i lost and %i duplicates: held=%s', (name, lost, dup, held, reason) => {
    const verdict = verdictFor(name, lost, dup);
    expect(verdict.held).toBe(held);
    expect(verdict.reason).toBe(reason);
    expect(verdict.promise).toBe(PRESETS[name].promise.text);
  });
});
