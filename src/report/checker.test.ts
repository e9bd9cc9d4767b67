import { describe, expect, it } from 'vitest';
import type { EffectRecord, JournalEvent } from '../core/journal.js';
import { PRESETS, SEMANTICS_NAMES, type SemanticsName } from '../core/semantics.js';
import type { FaultSpec } from '../faults/spec.js';
import { Checker, MAX_VIOLATIONS_LISTED, verdictFor } from './checker.js';

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

const giveUp = (epoch: number, attempt: number): JournalEvent => ({
  t: clock++,
  kind: 'timeout',
  epoch,
  attempt,
  retry: false,
});

/** The same history, finished: the dispatcher gave up on epochs 4 and 5 (as at-most-once would). */
function finishedHistory(): { events: JournalEvent[]; effects: EffectRecord[] } {
  const { events, effects } = history();
  return { events: [...events, giveUp(4, 1), giveUp(5, 1)], effects };
}

function check(p: Plan, events: JournalEvent[], effects: EffectRecord[] = []) {
  const checker = new Checker(p);
  for (const event of events) checker.addEvent(event);
  for (const e of effects) checker.addEffect(e);
  return checker.result();
}

/** Feeds events as lines of journal files: [journal name, events in file order]. */
function checkJournals(p: Plan, journals: [string, JournalEvent[]][], reverse = false) {
  const fed = journals.flatMap(([journal, events]) =>
    events.map((event, line) => ({ event, origin: { journal, line } })),
  );
  const checker = new Checker(p);
  for (const { event, origin } of reverse ? fed.reverse() : fed) checker.addEvent(event, origin);
  return checker.result();
}

describe('Checker credits each fault to the spec that fired', () => {
  it('two crash specs at one point, and two drop specs of one direction, each get their own count', () => {
    const faults: FaultSpec[] = [
      { type: 'crash', point: 'after-execute', every: 10 },
      { type: 'crash', point: 'after-execute', every: 7 },
      { type: 'drop', direction: 'ack', probability: 0.1 },
      { type: 'drop', direction: 'ack', probability: 0.1 },
    ];
    const crash = (epoch: number, fault: number): JournalEvent => ({
      t: clock++,
      kind: 'crash',
      point: 'after-execute',
      epoch,
      attempt: 1,
      worker: 'w1',
      fault,
    });
    const drop = (epoch: number, spec: number): JournalEvent => ({
      t: clock++,
      kind: 'fault',
      fault: 'drop',
      direction: 'ack',
      epoch,
      attempt: 1,
      spec,
    });
    const counts = check(plan({ messages: 30, faults }), [
      receive(7, 1, 'w1'),
      crash(7, 1),
      receive(14, 1, 'w1'),
      crash(14, 1),
      receive(10, 1, 'w1'),
      crash(10, 0),
      drop(3, 3),
    ]);
    expect(counts.faults.map((f) => f.injected)).toEqual([1, 2, 0, 1]);
  });
});

describe('Checker counts', () => {
  it('derives exact counts from a history with retries, repeats, duplicates and lost acks', () => {
    const { events, effects } = finishedHistory();
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
      // Epoch 5 was given up and never executed; epoch 4 was given up after it ran.
      lost: 1,
      unsettled: 0,
      externalKills: 0,
      consistency: { ok: true, violationCount: 0, violations: [] },
      identityHolds: true,
    });
  });

  it('counts unsettled epochs apart from lost ones in a run that did not finish', () => {
    // Epoch 4's ack was lost and epoch 5 was dropped, and the dispatcher never gave up on them.
    const { events, effects } = history();
    const counts = check(plan(), events, effects);
    expect(counts).toMatchObject({ acked: 3, lost: 0, unsettled: 2 });
    expect(counts.verdict).toEqual({
      promise: 'never lost; may repeat',
      held: null,
      reason: 'no verdict: the run did not finish (2 epochs unsettled)',
    });
  });

  it('a stalled at-most-once run: never-sent and unacked epochs are unsettled, not lost', () => {
    const p = plan({ semantics: 'at-most-once', messages: 6 });
    const counts = check(
      p,
      [
        // 1, 2: run and acked. 3: given up, never run (lost). 4: run, its ack never came and the
        // dispatcher had not given up yet. 5: sent, never received. 6: never sent.
        send(1, 1),
        receive(1, 1, 'w1'),
        ack(1, 1, 'w1'),
        send(2, 1),
        receive(2, 1, 'w2'),
        ack(2, 1, 'w2'),
        send(3, 1),
        giveUp(3, 1),
        send(4, 1),
        receive(4, 1, 'w1'),
        send(5, 1),
      ],
      [effect(1, 1, 'w1'), effect(2, 1, 'w2'), effect(4, 1, 'w1')],
    );
    expect(counts).toMatchObject({ lost: 1, unsettled: 3, acked: 2, executed: 3 });
    expect(counts.verdict.held).toBeNull();
    expect(counts.verdict.reason).toBe('no verdict: the run did not finish (3 epochs unsettled)');
    expect(counts.consistency.ok).toBe(true);
  });

  it('a timeout that is retried does not settle its epoch', () => {
    const retried: JournalEvent = {
      t: clock++,
      kind: 'timeout',
      epoch: 1,
      attempt: 1,
      retry: true,
    };
    const counts = check(plan({ messages: 1 }), [send(1, 1), retried, send(1, 2)]);
    expect(counts).toMatchObject({ lost: 0, unsettled: 1 });
  });

  it('gives the same counts whatever the order of the history', () => {
    const { events, effects } = finishedHistory();
    const forward = check(plan(), events, effects);
    const checker = new Checker(plan());
    // Effects first, then the events backwards.
    for (const e of [...effects].reverse()) checker.addEffect(e);
    for (const event of [...events].reverse()) checker.addEvent(event);
    expect(checker.result()).toEqual(forward);
  });

  it('counts every epoch as unsettled in an empty history, and gives no verdict', () => {
    const counts = check(plan({ messages: 4 }), []);
    expect(counts).toMatchObject({
      sent: 0,
      retries: 0,
      delivered: 0,
      executed: 0,
      acked: 0,
      lost: 0,
      unsettled: 4,
      consistency: { ok: true },
    });
    expect(counts.verdict.held).toBeNull();
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
    });
  });

  it('gives the verdict of the plan semantics for a finished run', () => {
    const { events, effects } = finishedHistory();
    expect(check(plan({ semantics: 'at-least-once' }), events, effects).verdict).toEqual({
      promise: 'never lost; may repeat',
      held: false,
      reason: '1 lost: at-least-once promises never lost',
    });
    expect(check(plan({ semantics: 'exactly-once' }), events, effects).verdict.reason).toBe(
      '1 lost and 2 duplicate executions: exactly-once promises never lost, never twice',
    );
  });
});

describe('Checker consistency checks', () => {
  const violations = (counts: ReturnType<typeof check>) =>
    counts.consistency.violations.map(({ check: name, epoch, worker, incarnation }) => ({
      check: name,
      epoch,
      ...(worker !== undefined ? { worker } : {}),
      ...(incarnation !== undefined ? { incarnation } : {}),
    }));

  it('passes a consistent history, journal lines included', () => {
    const counts = checkJournals(plan({ messages: 2, semantics: 'at-most-once' }), [
      ['dispatcher', [send(1, 1), ack(1, 1, 'w1'), send(2, 1), giveUp(2, 1)]],
      [
        'w1.0',
        [
          receive(1, 1, 'w1'),
          { t: clock++, kind: 'execute', epoch: 1, attempt: 1, worker: 'w1' },
          reply(1, 1, 'w1'),
        ],
      ],
      // Died on epoch 2, after receiving it: the crash is the last line of its journal.
      [
        'w2.0',
        [
          receive(2, 1, 'w2'),
          { t: clock++, kind: 'crash', point: 'after-receive', epoch: 2, attempt: 1, worker: 'w2' },
        ],
      ],
    ]);
    expect(counts.consistency).toEqual({ ok: true, violationCount: 0, violations: [] });
    expect(counts.verdict).toMatchObject({
      held: true,
      reason: '1 lost: at-most-once allows this',
    });
  });

  it('effect-without-receipt: an effect of an epoch no worker received', () => {
    const executeEvent: JournalEvent = {
      t: clock++,
      kind: 'execute',
      epoch: 2,
      attempt: 1,
      worker: 'w1',
    };
    const counts = check(
      plan({ messages: 3 }),
      [send(1, 1), receive(1, 1, 'w1'), send(2, 1), executeEvent, send(3, 1), giveUp(1, 1)],
      [effect(1, 1, 'w1'), effect(3, 1, 'w2')],
    );
    expect(violations(counts)).toEqual([
      { check: 'effect-without-receipt', epoch: 2 },
      { check: 'effect-without-receipt', epoch: 3 },
    ]);
    expect(counts.consistency.ok).toBe(false);
    expect(counts.identityHolds).toBe(false);
    expect(counts.verdict).toMatchObject({
      held: null,
      reason: 'no verdict: the history is inconsistent, a bug in semlab',
    });
  });

  it('ack-without-execution: an ack from a worker that neither executed nor skipped the epoch', () => {
    const counts = check(
      plan({ messages: 4, workers: 3 }),
      [
        // Epoch 1: w1 ran it, but the ack names w2.
        send(1, 1),
        receive(1, 1, 'w1'),
        ack(1, 1, 'w2'),
        // Epoch 2: w2 skipped it (dedupe): a valid ack.
        send(2, 1),
        receive(2, 1, 'w2'),
        skip(2, 1, 'w2'),
        ack(2, 1, 'w2'),
        // Epoch 3: the store applied it for w3 (atomic): a valid ack.
        send(3, 1),
        receive(3, 1, 'w3'),
        ack(3, 1, 'w3'),
        // Epoch 4: an ack from a worker the run does not have.
        send(4, 1),
        receive(4, 1, 'w1'),
        ack(4, 1, 'w9'),
      ],
      [effect(1, 1, 'w1'), effect(3, 1, 'w3'), effect(4, 1, 'w1')],
    );
    expect(violations(counts)).toEqual([
      { check: 'ack-without-execution', epoch: 1, worker: 'w2' },
      { check: 'ack-without-execution', epoch: 4, worker: 'w9' },
    ]);
  });

  it('ack-without-execution: finds the worker among 64', () => {
    const p = plan({ messages: 1, workers: 64 });
    const ok = check(
      p,
      [send(1, 1), receive(1, 1, 'w64'), ack(1, 1, 'w64')],
      [effect(1, 1, 'w64')],
    );
    expect(ok.consistency.ok).toBe(true);
    const broken = check(
      p,
      [send(1, 1), receive(1, 1, 'w64'), ack(1, 1, 'w33'), ack(1, 1, 'w64')],
      [effect(1, 1, 'w64')],
    );
    expect(violations(broken)).toEqual([
      { check: 'ack-without-execution', epoch: 1, worker: 'w33' },
    ]);
  });

  it('event-after-crash: a worker incarnation journals something after its crash', () => {
    const crash: JournalEvent = {
      t: clock++,
      kind: 'crash',
      point: 'after-execute',
      epoch: 2,
      attempt: 1,
      worker: 'w2',
    };
    const journals: [string, JournalEvent[]][] = [
      ['dispatcher', [send(1, 1), send(2, 1), giveUp(1, 1), giveUp(2, 1)]],
      ['w2.0', [receive(1, 1, 'w2')]],
      ['w2.1', [receive(2, 1, 'w2'), crash, reply(2, 1, 'w2')]],
    ];
    for (const reverse of [false, true]) {
      const counts = checkJournals(plan({ messages: 2 }), journals, reverse);
      expect(violations(counts)).toEqual([
        { check: 'event-after-crash', epoch: 2, worker: 'w2', incarnation: 1 },
      ]);
      expect(counts.consistency.violations[0]?.detail).toBe(
        'journal w2.1 goes on to line 3 after the crash at line 2',
      );
    }
  });

  it('epoch-out-of-range: a named violation, not an exception', () => {
    const p = plan({ messages: 5 });
    const counts = check(
      p,
      [send(0, 1), send(6, 1), receive(-1, 1, 'w1'), ack(2.5, 1, 'w1'), send(5, 1)],
      [effect(7, 1, 'w1')],
    );
    expect(violations(counts)).toEqual([
      { check: 'epoch-out-of-range', epoch: -1 },
      { check: 'epoch-out-of-range', epoch: 0 },
      { check: 'epoch-out-of-range', epoch: 2.5 },
      { check: 'epoch-out-of-range', epoch: 6 },
      { check: 'epoch-out-of-range', epoch: 7 },
    ]);
    expect(counts.consistency.violations.map((v) => v.detail)).toContain(
      "a 'send' event names epoch 6, outside 1..5",
    );
    // Out-of-range events count nowhere.
    expect(counts.sent).toBe(1);
  });

  it('ack-without-send: an ack of an attempt the dispatcher never sent', () => {
    const counts = check(
      plan({ messages: 3 }),
      [
        // Epoch 1: attempt 2 acked, only attempt 1 sent.
        send(1, 1),
        receive(1, 1, 'w1'),
        ack(1, 2, 'w1'),
        // Epoch 2: acked, never sent.
        receive(2, 1, 'w1'),
        ack(2, 1, 'w1'),
        // Epoch 3: two sends, the second acked: fine.
        send(3, 1),
        send(3, 2),
        receive(3, 2, 'w1'),
        ack(3, 2, 'w1'),
      ],
      [effect(1, 1, 'w1'), effect(2, 1, 'w1'), effect(3, 2, 'w1')],
    );
    expect(violations(counts)).toEqual([
      { check: 'ack-without-send', epoch: 1 },
      { check: 'ack-without-send', epoch: 2 },
    ]);
  });

  it('atomic-double-effect: two effects of one epoch in the store under exactly-once-atomic', () => {
    const events = [
      send(1, 1),
      receive(1, 1, 'w1'),
      send(1, 2),
      receive(1, 2, 'w2'),
      ack(1, 2, 'w2'),
      send(2, 1),
      receive(2, 1, 'w1'),
      ack(2, 1, 'w1'),
    ];
    const effects = [effect(1, 1, 'w1'), effect(1, 2, 'w2'), effect(2, 1, 'w1')];
    const atomic = check(plan({ messages: 2, semantics: 'exactly-once-atomic' }), events, effects);
    expect(violations(atomic)).toEqual([{ check: 'atomic-double-effect', epoch: 1 }]);
    // A duplicate is a result, not a bug, where nothing promised one effect per epoch in the store:
    // another preset, marks that expire (a TTL), or a per-worker memory store (its effects are the
    // workers' `execute` events).
    expect(check(plan({ messages: 2 }), events, effects).consistency.ok).toBe(true);
    const withTtl = plan({ messages: 2, semantics: 'exactly-once-atomic', dedupeTtlMs: 50 });
    expect(check(withTtl, events, effects).consistency.ok).toBe(true);
    const asJournal = effects.map((e): JournalEvent => ({ ...e, t: clock++, kind: 'execute' }));
    expect(
      check(plan({ messages: 2, semantics: 'exactly-once-atomic' }), [...events, ...asJournal])
        .consistency.ok,
    ).toBe(true);
  });

  it('counts every violation but lists the first 20 by epoch, in any order of the history', () => {
    const p = plan({ messages: 1000 });
    const events = Array.from({ length: 1000 }, (_, i) => ack(1000 - i, 1, 'w1'));
    const forward = check(p, events);
    expect(forward.consistency.violationCount).toBe(2000);
    expect(forward.consistency.violations).toHaveLength(MAX_VIOLATIONS_LISTED);
    expect(forward.consistency.violations.slice(0, 2).map((v) => [v.check, v.epoch])).toEqual([
      ['ack-without-execution', 1],
      ['ack-without-send', 1],
    ]);
    expect(check(p, [...events].reverse()).consistency).toEqual(forward.consistency);
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

describe('Checker: the fault kinds of issue 14', () => {
  it('credits work times, pauses, duplicates, reorders and partitions to the spec that fired', () => {
    const faults: FaultSpec[] = [
      { type: 'work', ms: 50 },
      { type: 'pause', point: 'after-execute', every: 2, ms: 500 },
      { type: 'duplicate', direction: 'work', probability: 0.2 },
      { type: 'reorder', probability: 0.3, ms: 5 },
      { type: 'partition', worker: 'w2', atMs: 0, ms: 100 },
    ];
    const checker = new Checker(plan({ faults }));
    const base = { epoch: 2, attempt: 1, worker: 'w1' };
    checker.addEvent({ t: clock++, kind: 'work', ...base, ms: 50, spec: 0 });
    checker.addEvent({ t: clock++, kind: 'work', ...base, attempt: 2, ms: 50, spec: 0 });
    checker.addEvent({
      t: clock++,
      kind: 'pause',
      ...base,
      point: 'after-execute',
      ms: 500,
      fault: 1,
    });
    const fault = (kind: 'duplicate' | 'reorder' | 'partition', spec: number): JournalEvent => ({
      t: clock++,
      kind: 'fault',
      fault: kind,
      direction: 'work',
      epoch: 3,
      attempt: 1,
      spec,
    });
    checker.addEvent(fault('duplicate', 2));
    checker.addEvent(fault('reorder', 3));
    checker.addEvent(fault('reorder', 3));
    checker.addEvent(fault('partition', 4));
    expect(checker.result().faults.map((f) => f.injected)).toEqual([2, 1, 1, 2, 1]);
  });

  it('lists the live freeze and cut-off keys as live actions, not as the run own faults', () => {
    const checker = new Checker(plan());
    checker.addEvent({
      t: clock++,
      kind: 'worker-stop',
      worker: 'w1',
      incarnation: 0,
      pid: 1,
      live: true,
    });
    // A stop by a --pause is not a live action: its spec counts it, from the worker's journal.
    checker.addEvent({ t: clock++, kind: 'worker-stop', worker: 'w2', incarnation: 0, pid: 2 });
    checker.addEvent({
      t: clock++,
      kind: 'fault',
      fault: 'partition',
      direction: 'ack',
      epoch: 1,
      attempt: 1,
      live: true,
      worker: 'w2',
    });
    expect(checker.result().faults).toEqual([
      { type: 'live', action: 'freeze-worker', injected: 1 },
      { type: 'live', action: 'cut-worker', injected: 1 },
    ]);
  });
});
