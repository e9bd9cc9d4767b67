import { describe, expect, it } from 'vitest';
import { epochLife } from './epoch-life.js';
import { Tracer } from './trace.js';
import {
  CRASH,
  CRASH_STARTS,
  DROP,
  lifeOf,
  LOST_ACK,
  PLAN,
  SKIP,
} from '../../test/support/epoch-histories.js';

describe('epochLife', () => {
  it('a dropped send: a crossed work arrow, the timeout that gave up, no worker lane', () => {
    const life = lifeOf('at-most-once', DROP);
    expect(life.outcome).toBe('lost');
    expect(life.cause?.kind).toBe('work-dropped');
    expect(life.lanes.map((l) => l.id)).toEqual(['dispatcher']);
    expect(life.rows).toEqual([
      { kind: 'work-dropped', at: 0, attempt: 1 },
      { kind: 'timeout', at: 200, attempt: 1, retry: false },
    ]);
  });

  it('a lost ack: arrows at arrival, the dropped ack, the timeout, the retry to another worker', () => {
    const life = lifeOf('at-least-once', LOST_ACK);
    expect(life.lanes.map((l) => l.id)).toEqual(['dispatcher', 'w1.0', 'w2.0']);
    expect(life.rows).toEqual([
      { kind: 'work', at: 1, attempt: 1, to: 'w1.0' },
      { kind: 'effect', at: 1, lane: 'w1.0', again: false },
      { kind: 'ack-dropped', at: 1, attempt: 1, from: 'w1.0' },
      { kind: 'timeout', at: 200, attempt: 1, retry: true },
      { kind: 'work', at: 201, attempt: 2, to: 'w2.0' },
      { kind: 'effect', at: 201, lane: 'w2.0', again: true },
      { kind: 'ack', at: 202, attempt: 2, from: 'w2.0' },
    ]);
  });

  it('a crash after execute: the crash, the restart at crash + restart delay, the new lane', () => {
    const life = lifeOf('exactly-once', CRASH, CRASH_STARTS);
    expect(life.cause?.kind).toBe('dedupe-hole');
    expect(life.lanes.map((l) => l.id)).toEqual(['dispatcher', 'w1.0', 'w1.1', 'store']);
    expect(life.rows.map((r) => [r.kind, r.at])).toEqual([
      ['work', 1],
      ['effect', 1],
      ['crash', 1],
      ['timeout', 200],
      // Virtual clock: 1 + the restart delay, not the supervisor's wall-clock start (150).
      ['restart', 201],
      ['work', 202],
      ['effect', 202],
      ['mark', 202],
      ['ack', 203],
    ]);
  });

  it('on the real clock a restart is where the supervisor started the incarnation', () => {
    const tracer = new Tracer({ ...PLAN, semantics: 'exactly-once' });
    for (const [journal, event] of CRASH) tracer.addEvent(event, { at: event.vt ?? 0, journal });
    const [story] = [...tracer.stories()];
    const life = epochLife(story!, { ...PLAN, clock: 'real' }, CRASH_STARTS);
    expect(life.rows.find((r) => r.kind === 'restart')).toEqual({
      kind: 'restart',
      at: 150,
      lane: 'w1.1',
    });
  });

  it('a held-back ack and a dedupe skip: the late ack arrives after the retry was skipped', () => {
    const life = lifeOf('exactly-once', SKIP);
    expect(life.outcome).toBe('ok');
    expect(life.rows).toEqual([
      { kind: 'work', at: 1, attempt: 1, to: 'w1.0' },
      { kind: 'effect', at: 1, lane: 'w1.0', again: false },
      { kind: 'mark', at: 1, lane: 'w1.0' },
      { kind: 'ack-held', at: 1, attempt: 1, from: 'w1.0', ms: 500 },
      { kind: 'timeout', at: 200, attempt: 1, retry: true },
      { kind: 'work', at: 201, attempt: 2, to: 'w2.0' },
      { kind: 'skip', at: 201, lane: 'w2.0' },
      { kind: 'ack', at: 202, attempt: 2, from: 'w2.0' },
      { kind: 'ack-late', at: 502, attempt: 1 },
    ]);
  });
});
