import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { RunPlan } from '../core/run-plan.js';
import { en } from '../i18n/en.js';
import { ptBR } from '../i18n/pt-br.js';
import { CRASH, CRASH_STARTS, PLAN } from '../../test/support/epoch-histories.js';
import { renderTrace } from './render-trace.js';
import type { RunTrace } from './run-history.js';
import { Tracer } from './trace.js';

const plain = new Chalk({ level: 0 });
const plan: RunPlan = {
  ...PLAN,
  runId: '20261206-070000-abcd',
  runDir: '/tmp/semlab-test/r1',
  semantics: 'exactly-once',
  transport: 'zmq',
  seed: 7,
  window: 10,
};
const run = { kind: 'kept', runId: plan.runId, runDir: plan.runDir, state: 'ended', plan } as const;

function traceOf(): RunTrace {
  const tracer = new Tracer(plan);
  for (const [journal, event] of CRASH) tracer.addEvent(event, { at: event.vt ?? 0, journal });
  return {
    stories: [...tracer.stories()],
    partial: false,
    effects: 'copy',
    notes: [],
    workerStarts: CRASH_STARTS,
  };
}

describe('renderTrace', () => {
  it('tells the steps and the cause in pt-BR, and calls a run a "rodada"', () => {
    const lines = renderTrace(run, traceOf(), plain, ptBR).split('\n');
    expect(lines[0]).toBe(
      'rodada 20261206-070000-abcd · exactly-once via zmq · 2 trabalhadores · 1 mensagens · semente 7',
    );
    expect(lines[2]).toBe(
      'época 1  EXECUTADA 2×  w1 morreu depois de executá-la e antes de marcá-la (o buraco); w1 a rodou de novo',
    );
    expect(lines[3]).toBe(
      '  enviada → recebida por w1 (tentativa 1) → executada por w1 → w1 morreu (after-execute)' +
        ' → sem ack da tentativa 1 a tempo: enviada de novo → enviada de novo (tentativa 2)' +
        ' → recebida por w1 (tentativa 2) → executada de novo por w1: duplicata' +
        ' → marcada como executada por w1 → w1 enviou seu ack → ack da tentativa 2 chegou ao despachante',
    );
  });

  it('tells them in English exactly as before the catalog held them', () => {
    const lines = renderTrace(run, traceOf(), plain, en).split('\n');
    expect(lines[2]).toBe(
      'epoch 1  EXECUTED 2×  w1 died after executing it and before marking it (the hole); w1 ran it again',
    );
    expect(lines[3]).toBe(
      '  sent → received by w1 (attempt 1) → executed by w1 → w1 died (after-execute)' +
        ' → no ack for attempt 1 in time: sent again → sent again (attempt 2)' +
        ' → received by w1 (attempt 2) → executed again by w1: duplicate' +
        ' → marked executed by w1 → w1 sent its ack → ack of attempt 2 reached the dispatcher',
    );
  });

  it('draws the epoch with diagram options: the header broken to fit, all ASCII when asked', () => {
    const text = renderTrace(run, traceOf(), plain, ptBR, {
      ascii: true,
      transliterate: true,
      most: 1,
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'rodada 20261206-070000-abcd - exactly-once via zmq - 2 trabalhadores',
      '  1 mensagens - semente 7',
    ]);
    expect(lines).toContain('     |            X           |      w1.0 morre (after-execute)');
    expect(lines).toContain('201  |                  +     |      w1.1 comeca (reinicio)');
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('counts one epoch shown in the singular, in English and pt-BR', () => {
    expect(renderTrace(run, traceOf(), plain, en).split('\n')).toContain(
      '1 epoch shown: 0 lost, 1 executed more than once',
    );
    expect(renderTrace(run, traceOf(), plain, ptBR).split('\n')).toContain(
      '1 época mostrada: 0 perdidas, 1 executada mais de uma vez',
    );
  });
});
