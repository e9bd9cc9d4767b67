import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../core/journal.js';
import { en } from '../i18n/en.js';
import { ptBR } from '../i18n/pt-br.js';
import { ReportModelBuilder, type RunModel } from './html-model.js';
import { renderHtmlReport } from './render-html.js';
import type { RunReport } from './run-report.js';
import type { EpochStory } from './trace.js';

/** A recorded history, written by hand: each line as the journals hold it. */
const T0 = 1_000_000;
const virtualRun: JournalEvent[] = [
  { t: T0, kind: 'worker-start', worker: 'w1', incarnation: 0, pid: 1 },
  { t: T0 + 1, kind: 'worker-start', worker: 'w2', incarnation: 0, pid: 2 },
  // Epoch 1: sent, run, acked.
  { t: T0 + 10, vt: 0, kind: 'send', epoch: 1, attempt: 1 },
  { t: T0 + 11, vt: 0, kind: 'send', epoch: 2, attempt: 1 },
  { t: T0 + 12, vt: 0, kind: 'send', epoch: 3, attempt: 1 },
  { t: T0 + 13, vt: 0, kind: 'fault', fault: 'drop', direction: 'work', epoch: 3, attempt: 1 },
  { t: T0 + 20, vt: 1, kind: 'receive', epoch: 1, attempt: 1, worker: 'w1' },
  { t: T0 + 21, vt: 1, kind: 'execute', epoch: 1, attempt: 1, worker: 'w1' },
  { t: T0 + 22, vt: 1, kind: 'reply', epoch: 1, attempt: 1, worker: 'w1' },
  // Epoch 2: run by w1, its ack dropped, sent again, run again by w2.
  { t: T0 + 23, vt: 1, kind: 'receive', epoch: 2, attempt: 1, worker: 'w1' },
  { t: T0 + 24, vt: 1, kind: 'execute', epoch: 2, attempt: 1, worker: 'w1' },
  { t: T0 + 25, vt: 1, kind: 'reply', epoch: 2, attempt: 1, worker: 'w1' },
  { t: T0 + 30, vt: 2, kind: 'ack', epoch: 1, attempt: 1, worker: 'w1' },
  { t: T0 + 31, vt: 2, kind: 'fault', fault: 'drop', direction: 'ack', epoch: 2, attempt: 1 },
  { t: T0 + 40, vt: 200, kind: 'timeout', epoch: 2, attempt: 1, retry: true },
  { t: T0 + 41, vt: 200, kind: 'timeout', epoch: 3, attempt: 1, retry: false },
  { t: T0 + 42, vt: 200, kind: 'send', epoch: 2, attempt: 2 },
  // The supervisor writes no vt: it takes the instant of the last line before it.
  { t: T0 + 43, kind: 'worker-start', worker: 'w1', incarnation: 1, pid: 3 },
  { t: T0 + 50, vt: 201, kind: 'receive', epoch: 2, attempt: 2, worker: 'w2' },
  { t: T0 + 51, vt: 201, kind: 'execute', epoch: 2, attempt: 2, worker: 'w2' },
  { t: T0 + 52, vt: 201, kind: 'reply', epoch: 2, attempt: 2, worker: 'w2' },
  { t: T0 + 60, vt: 202, kind: 'ack', epoch: 2, attempt: 2, worker: 'w2' },
];

const stories: EpochStory[] = [
  { epoch: 1, outcome: 'ok', executions: 1, steps: [], timeline: [] },
  {
    epoch: 2,
    outcome: 'duplicate',
    executions: 2,
    cause: {
      kind: 'ack-dropped',
      attempt: 1,
      timeoutMs: 200,
      second: 'w2',
      text: 'the network dropped the ack of attempt 1',
    },
    steps: [],
    timeline: [],
  },
  {
    epoch: 3,
    outcome: 'lost',
    executions: 0,
    cause: {
      kind: 'work-dropped',
      sends: 1,
      neverResent: false,
      text: 'the network dropped every send (1)',
    },
    steps: [],
    timeline: [],
  },
];

const report = { runId: 'r1', messages: 3, virtualDurationMs: 202 } as unknown as RunReport;

function build(events: readonly JournalEvent[], clock: 'virtual' | 'real'): RunModel {
  const builder = new ReportModelBuilder({ messages: 3, workers: 2, clock }, stories, en);
  // Journals arrive file by file, not in time order: the builder sorts.
  for (const event of [...events].reverse()) builder.addEvent(event);
  return builder.result(report);
}

describe('the HTML report model', () => {
  it('draws an arrow per message, crossed out where the network dropped it', () => {
    const model = build(virtualRun, 'virtual');
    const arrows = model.arrows.map((a) => {
      const from = model.events[a.from];
      const to = model.events[a.to];
      return `${a.kind} ${a.epoch}.${a.attempt} ${model.lanes[from!.lane]}->${model.lanes[to!.lane]}${a.dropped ? ' dropped' : ''}${a.retry ? ' retry' : ''}`;
    });
    expect(arrows.sort()).toEqual(
      [
        'work 1.1 dispatcher->w1',
        'work 2.1 dispatcher->w1',
        'work 3.1 dispatcher->dispatcher dropped',
        'ack 1.1 w1->dispatcher',
        'ack 2.1 w1->dispatcher dropped',
        'work 2.2 dispatcher->w2 retry',
        'ack 2.2 w2->dispatcher',
      ].sort(),
    );
    const kinds = model.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'execute')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'duplicate')).toHaveLength(1);
    expect(model.events.find((e) => e.kind === 'duplicate')?.epoch).toBe(2);
    expect(kinds).toContain('give-up');
    expect(model.lanes).toEqual(['dispatcher', 'w1', 'w2']);
  });

  it('puts every event at its instant on the virtual clock, the supervisor too', () => {
    const model = build(virtualRun, 'virtual');
    const restart = model.events.find((e) => e.kind === 'restart');
    expect(restart?.at).toBe(200);
    expect(model.events.map((e) => e.at)).toEqual(
      [...model.events.map((e) => e.at)].sort((a, b) => a - b),
    );
    expect(model.spanMs).toBe(202);
    expect(model.timeline.workers).toEqual([
      { worker: 'w1', crashes: [], restarts: [200] },
      { worker: 'w2', crashes: [], restarts: [] },
    ]);
    const sum = (name: 'sent' | 'retries' | 'acked' | 'effects' | 'faults'): number =>
      model.timeline.buckets.reduce((total, b) => total + b[name], 0);
    expect([sum('sent'), sum('retries'), sum('acked'), sum('effects'), sum('faults')]).toEqual([
      3, 1, 2, 3, 2,
    ]);
    // The retry's bucket is the one of instant 200.
    const at200 = model.timeline.buckets[Math.floor(200 / model.timeline.bucketMs)];
    expect(at200?.retries).toBe(1);
  });

  it('on the real clock, an instant is wall time since the first send', () => {
    const model = build(
      virtualRun.map(({ vt: _vt, ...e }) => e as JournalEvent),
      'real',
    );
    // The run starts at its first send (T0 + 10): the workers' start-up is not drawn.
    expect(model.events.find((e) => e.kind === 'restart')?.at).toBe(33);
    expect(model.events.find((e) => e.kind === 'send')?.at).toBe(0);
    expect(model.events.find((e) => e.kind === 'ack')?.at).toBe(20);
    // What came before the first send (the workers starting) is at 0, never before it.
    expect(Math.min(...model.events.map((e) => e.at))).toBe(0);
  });

  it('a large run keeps the first epochs and every anomaly, and says so', () => {
    const many: JournalEvent[] = [];
    for (let epoch = 1; epoch <= 50; epoch++) {
      many.push({ t: T0 + epoch, vt: epoch, kind: 'send', epoch, attempt: 1 });
    }
    const storiesOf = (epoch: number): EpochStory =>
      epoch === 40
        ? { epoch, outcome: 'lost', executions: 0, steps: [], timeline: [] }
        : { epoch, outcome: 'ok', executions: 1, steps: [], timeline: [] };
    const builder = new ReportModelBuilder(
      { messages: 50, workers: 1, clock: 'virtual' },
      Array.from({ length: 50 }, (_, i) => storiesOf(i + 1)),
      en,
      10,
    );
    for (const event of many) builder.addEvent(event);
    const model = builder.result({ ...report, messages: 50 } as RunReport);
    expect(new Set(model.events.map((e) => e.epoch))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40]),
    );
    expect(model.truncated).toBe(true);
    expect(model.anomalies).toEqual([{ epoch: 40, outcome: 'lost', at: 40, drawn: true }]);
    // The timeline still counts every epoch's send.
    expect(model.timeline.buckets.reduce((n, b) => n + b.sent, 0)).toBe(50);
  });

  it('keeps the page whole whatever a text holds, and speaks the chosen language', () => {
    const model = build(virtualRun, 'virtual');
    const hostile = {
      ...model,
      report: {
        ...model.report,
        ...{ semantics: 'at-least-once', transport: 'zmq', store: 'sqlite', workers: 2, seed: 1 },
        ...{ sent: 4, retries: 1, delivered: 3, duplicateDeliveries: 0, executed: 3 },
        ...{ duplicateExecutions: 1, acked: 2, lost: 1, unsettled: 0, throughput: 1 },
        ...{ faults: [], perWorker: [], externalKills: 0, clock: 'virtual', durationMs: 5 },
        ...{ timeoutMs: 200, window: 8, status: 'completed', runDir: '/tmp/r1' },
        verdict: { promise: '', held: false, reason: '' },
      } as unknown as RunReport,
      anomalies: [
        {
          epoch: 2,
          outcome: 'duplicate' as const,
          cause: {
            kind: 'retried' as const,
            timeoutMs: 200,
            second: 'w2',
            text: '</script><script>alert(1)</script>',
          },
          at: 0,
          drawn: true,
        },
      ],
    };
    const html = renderHtmlReport(
      { version: 1, kind: 'run', lang: 'pt-BR', runs: [hostile] },
      ptBR,
    );
    expect(html).not.toContain('<script>alert(1)');
    const block = /<script type="application\/json" id="semlab-report">(.*?)<\/script>/s.exec(html);
    const data = JSON.parse(block?.[1] ?? 'null') as { runs: RunModel[] };
    expect(data.runs[0]?.anomalies[0]?.cause?.text).toBe('</script><script>alert(1)</script>');
    expect(html).toContain('<h3>Resumo</h3>');
    // Nothing in the page is fetched: no external address in any src or href.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
  });

  it('shades the stretches a live key or a broker crash was on, and marks kills from outside', () => {
    const model = build(
      [
        ...virtualRun,
        { t: T0 + 26, vt: 1, kind: 'live', switch: 'drop-ack', on: true },
        { t: T0 + 44, vt: 200, kind: 'live', switch: 'drop-ack', on: false },
        { t: T0 + 45, vt: 200, kind: 'live', switch: 'slow-ack', on: true },
        {
          t: T0 + 46,
          kind: 'worker-exit',
          worker: 'w2',
          incarnation: 0,
          code: null,
          signal: 'SIGKILL',
          expected: false,
          injected: false,
        },
      ],
      'virtual',
    );
    expect(model.timeline.windows).toEqual([
      { kind: 'drop-ack', from: 1, to: 200 },
      { kind: 'slow-ack', from: 200 },
    ]);
    expect(model.events.filter((e) => e.kind === 'kill').map((e) => model.lanes[e.lane])).toEqual([
      'w2',
    ]);
    expect(model.timeline.workers[1]).toEqual({ worker: 'w2', crashes: [200], restarts: [] });
  });
});
