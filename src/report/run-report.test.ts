import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../core/journal.js';
import type { RunPlan } from '../core/run-plan.js';
import { catalogFor } from '../i18n/catalog.js';
import { Checker } from './checker.js';
import { renderRunReport } from './render-table.js';
import { buildRunReport } from './run-report.js';

const plain = new Chalk({ level: 0 });

function plan(overrides: Partial<RunPlan> = {}): RunPlan {
  return {
    runId: 'r1',
    runDir: '/tmp/semlab-test/r1',
    semantics: 'at-most-once',
    transport: 'zmq',
    workers: 2,
    messages: 10,
    seed: 1,
    timeoutMs: 100,
    window: 10,
    store: 'sqlite',
    restartDelayMs: 0,
    faults: [],
    ...overrides,
  };
}

/** Epochs 1..settled acked by w1 after it ran them; the rest sent and never answered. */
function counts(p: RunPlan, settled: number, extra: JournalEvent[] = []) {
  const checker = new Checker(p);
  let t = 0;
  for (let epoch = 1; epoch <= p.messages; epoch++) {
    checker.addEvent({ t: t++, kind: 'send', epoch, attempt: 1 });
    if (epoch > settled) continue;
    checker.addEvent({ t: t++, kind: 'receive', epoch, attempt: 1, worker: 'w1' });
    checker.addEvent({ t: t++, kind: 'execute', epoch, attempt: 1, worker: 'w1' });
    checker.addEvent({ t: t++, kind: 'ack', epoch, attempt: 1, worker: 'w1' });
  }
  for (const event of extra) checker.addEvent(event);
  return checker.result();
}

describe('buildRunReport', () => {
  it('counts settled epochs in the throughput, not all messages', () => {
    const report = buildRunReport(
      plan(),
      { status: 'stalled', diagnosis: 'no ack', durationMs: 2000, maxRssKb: 1, clock: 'real' },
      counts(plan(), 4),
    );
    expect(report).toMatchObject({ unsettled: 6, lost: 0, throughput: 2 });
  });

  it('gives no verdict to a stalled run, even when its journals show every epoch settled', () => {
    const report = buildRunReport(
      plan(),
      { status: 'stalled', diagnosis: 'no ack', durationMs: 1000, maxRssKb: 1, clock: 'real' },
      counts(plan(), 10),
    );
    expect(report.unsettled).toBe(0);
    expect(report.verdict).toEqual({
      promise: 'never twice; may lose',
      held: null,
      reason: 'no verdict: the run did not finish',
    });
    expect(report.throughput).toBe(10);
  });

  it('keeps the verdict of a completed run, and identityHolds as an alias of consistency.ok', () => {
    const report = buildRunReport(
      plan(),
      { status: 'completed', durationMs: 1000, maxRssKb: 1, clock: 'real' },
      counts(plan(), 10),
    );
    expect(report.verdict.held).toBe(true);
    expect(report.consistency.ok).toBe(true);
    expect(report.identityHolds).toBe(true);
  });
});

describe('renderRunReport', () => {
  const en = catalogFor('en');

  it('shows unsettled epochs in a row of their own and NO VERDICT for a stalled run', () => {
    const report = buildRunReport(
      plan(),
      {
        status: 'stalled',
        diagnosis: 'no ack for 15 s',
        durationMs: 1000,
        maxRssKb: 1,
        clock: 'real',
      },
      counts(plan(), 7),
    );
    const text = renderRunReport(report, plain, en);
    expect(text).toMatch(/unsettled\s+│?\s*3\s/);
    expect(text).toContain('verdict: NO VERDICT');
    expect(text).toContain('no verdict: the run did not finish (3 epochs unsettled)');
    expect(text).not.toMatch(/HELD|BROKEN/);
    expect(renderRunReport(report, plain, catalogFor('pt-BR'))).toContain('SEM VEREDITO');
  });

  it('has no unsettled row for a finished run', () => {
    const report = buildRunReport(
      plan(),
      { status: 'completed', durationMs: 1000, maxRssKb: 1, clock: 'real' },
      counts(plan(), 10),
    );
    const text = renderRunReport(report, plain, en);
    expect(text).not.toContain('unsettled');
    expect(text).toContain('verdict: HELD');
  });

  it('names the broken check, its epoch and worker, and says it is a bug in semlab', () => {
    // w2 acks epoch 3, which w1 ran.
    const p = plan();
    const report = buildRunReport(
      p,
      { status: 'completed', durationMs: 1000, maxRssKb: 1, clock: 'real' },
      counts(p, 10, [{ t: 99, kind: 'ack', epoch: 3, attempt: 1, worker: 'w2' }]),
    );
    expect(report.identityHolds).toBe(false);
    const text = renderRunReport(report, plain, en);
    expect(text).toContain('verdict: NO VERDICT');
    expect(text).toContain('this is a bug in semlab, not a verdict about the semantics');
    expect(text).toContain(
      'ack-without-execution at epoch 3 (w2): an ack from a worker that neither executed nor skipped the epoch',
    );
    expect(text).not.toMatch(/HELD|BROKEN/);
  });
});
