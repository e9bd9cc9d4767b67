import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AckMessage, DispatcherLink, WorkMessage } from '../transports/contract.js';
import { AsyncQueue } from '../util/async-queue.js';
import { Dispatcher } from './dispatcher.js';
import type { Progress } from './ipc.js';
import type { Journal, JournalEntry } from './journal.js';
import type { RunPlan } from './run-plan.js';

function plan(overrides: Partial<RunPlan> = {}): RunPlan {
  return {
    runId: 'test',
    runDir: '/nonexistent',
    semantics: 'at-least-once',
    transport: 'fake',
    workers: 1,
    messages: 20,
    seed: 1,
    timeoutMs: 20,
    window: 8,
    store: 'memory',
    restartDelayMs: 0,
    faults: [],
    ...overrides,
  };
}

class FakeJournal {
  readonly entries: JournalEntry[] = [];
  append(entry: JournalEntry): void {
    this.entries.push(entry);
  }
  appendStep(kind: 'send' | 'ack', epoch: number, attempt: number, worker?: string): void {
    this.entries.push(
      kind === 'send' ? { kind, epoch, attempt } : { kind, epoch, attempt, worker: worker ?? '' },
    );
  }
  commit(): void {}
  of<K extends JournalEntry['kind']>(kind: K): Extract<JournalEntry, { kind: K }>[] {
    return this.entries.filter((e): e is Extract<JournalEntry, { kind: K }> => e.kind === kind);
  }
}

/**
 * An in-memory link with a worker behind it that acks each send after `ackDelayMs` (on a timer,
 * so several sends can be in flight), unless `drop(message)` says the message is lost.
 * It records the most epochs it ever held at once (sent, ack not yet given back).
 */
class FakeLink implements DispatcherLink {
  readonly sent: WorkMessage[] = [];
  readonly acksOut = new AsyncQueue<AckMessage>();
  private readonly outstanding = new Set<number>();
  maxOutstanding = 0;
  closed = false;

  constructor(
    private readonly drop: (message: WorkMessage) => boolean = () => false,
    private readonly ackDelayMs = 0,
  ) {}

  async send(message: WorkMessage): Promise<void> {
    this.sent.push(message);
    if (this.drop(message)) return;
    this.outstanding.add(message.epoch);
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding.size);
    setTimeout(() => {
      this.outstanding.delete(message.epoch);
      this.acksOut.push({ ...message, worker: 'w1' });
    }, this.ackDelayMs);
  }

  acks(): AsyncIterable<AckMessage> {
    return this.acksOut;
  }

  async waitForWorkers(count: number): Promise<number> {
    return count;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.acksOut.end();
  }

  attempts(epoch: number): number[] {
    return this.sent.filter((m) => m.epoch === epoch).map((m) => m.attempt);
  }
}

/** A link whose sends never complete: a transport that hung. */
class HungLink extends FakeLink {
  override async send(message: WorkMessage): Promise<void> {
    this.sent.push(message);
    return new Promise<void>(() => undefined);
  }
}

function dispatcher(p: RunPlan, link: DispatcherLink, onProgress?: (p: Progress) => void) {
  const journal = new FakeJournal();
  return {
    journal,
    dispatcher: new Dispatcher(p, link, journal as unknown as Journal, onProgress),
  };
}

type Outcome = Awaited<ReturnType<Dispatcher['run']>>;

/**
 * Runs the dispatcher on fake time, advancing the clock in small steps until the run ends, so the
 * outcome does not depend on how busy the machine is. Fails if it has not ended by `limitMs`.
 */
async function runOnFakeTime(d: Dispatcher, limitMs = 60_000): Promise<Outcome> {
  let outcome: Outcome | undefined;
  let failure: unknown;
  const running = d.run().then(
    (o) => (outcome = o),
    (error: unknown) => (failure = error ?? new Error('run rejected')),
  );
  for (let elapsed = 0; outcome === undefined && failure === undefined; elapsed += 5) {
    if (elapsed > limitMs) throw new Error(`the run did not end within ${limitMs} ms`);
    await vi.advanceTimersByTimeAsync(5);
  }
  await running;
  if (failure !== undefined) throw failure;
  return outcome as Outcome;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Dispatcher', () => {
  it('sends every epoch once and completes when all are acked', async () => {
    const link = new FakeLink();
    const progress: Progress[] = [];
    const { journal, dispatcher: d } = dispatcher(
      plan({ messages: 50, timeoutMs: 1000 }),
      link,
      (p) => progress.push(p),
    );
    const outcome = await runOnFakeTime(d);
    expect(outcome.status).toBe('completed');
    expect(outcome.diagnosis).toBeUndefined();
    expect(link.sent.map((m) => m.epoch).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(link.sent.every((m) => m.attempt === 1)).toBe(true);
    expect(journal.of('send')).toHaveLength(50);
    expect(new Set(journal.of('ack').map((a) => a.epoch)).size).toBe(50);
    expect(journal.of('timeout')).toEqual([]);
    expect(link.closed).toBe(true);
    expect(progress.at(-1)).toEqual({ sent: 50, acked: 50, settled: 50, inFlight: 0 });
  });

  it('at-least-once resends an epoch whose ack never came, and still completes', async () => {
    // The first send of epoch 3 is lost; every other send is acked.
    const link = new FakeLink((m) => m.epoch === 3 && m.attempt === 1);
    const { journal, dispatcher: d } = dispatcher(
      plan({ semantics: 'at-least-once', messages: 10, timeoutMs: 20 }),
      link,
    );
    const outcome = await runOnFakeTime(d);
    expect(outcome.status).toBe('completed');
    expect(link.attempts(3)).toEqual([1, 2]);
    for (const epoch of [1, 2, 4, 5, 10]) expect(link.attempts(epoch)).toEqual([1]);
    expect(journal.of('timeout')).toEqual([{ kind: 'timeout', epoch: 3, attempt: 1, retry: true }]);
    expect(journal.of('send').filter((s) => s.epoch === 3)).toEqual([
      { kind: 'send', epoch: 3, attempt: 1 },
      { kind: 'send', epoch: 3, attempt: 2 },
    ]);
    expect(journal.of('ack').filter((a) => a.epoch === 3)).toEqual([
      { kind: 'ack', epoch: 3, attempt: 2, worker: 'w1' },
    ]);
  });

  it('at-least-once keeps resending until an ack comes', async () => {
    const link = new FakeLink((m) => m.epoch === 2 && m.attempt <= 3);
    const { journal, dispatcher: d } = dispatcher(
      plan({ semantics: 'at-least-once', messages: 3, timeoutMs: 10 }),
      link,
    );
    expect((await runOnFakeTime(d)).status).toBe('completed');
    expect(link.attempts(2)).toEqual([1, 2, 3, 4]);
    expect(journal.of('timeout').map((t) => [t.epoch, t.attempt, t.retry])).toEqual([
      [2, 1, true],
      [2, 2, true],
      [2, 3, true],
    ]);
  });

  it('at-most-once gives up after the timeout without resending, and completes', async () => {
    const link = new FakeLink((m) => m.epoch === 3 || m.epoch === 7);
    const progress: Progress[] = [];
    const { journal, dispatcher: d } = dispatcher(
      plan({ semantics: 'at-most-once', messages: 10, timeoutMs: 20 }),
      link,
      (p) => progress.push(p),
    );
    const outcome = await runOnFakeTime(d);
    expect(outcome.status).toBe('completed');
    expect(link.sent).toHaveLength(10);
    expect(link.sent.every((m) => m.attempt === 1)).toBe(true);
    expect(journal.of('timeout').sort((a, b) => a.epoch - b.epoch)).toEqual([
      { kind: 'timeout', epoch: 3, attempt: 1, retry: false },
      { kind: 'timeout', epoch: 7, attempt: 1, retry: false },
    ]);
    // Two given up, eight acked: all ten settled.
    expect(progress.at(-1)).toEqual({ sent: 10, acked: 8, settled: 10, inFlight: 0 });
  });

  it('never has more than `window` epochs in flight', async () => {
    const link = new FakeLink(() => false, 3);
    const { dispatcher: d } = dispatcher(plan({ messages: 40, window: 4, timeoutMs: 1000 }), link);
    expect((await runOnFakeTime(d)).status).toBe('completed');
    expect(link.sent).toHaveLength(40);
    // The window was filled (so the bound was actually tested) and never exceeded.
    expect(link.maxOutstanding).toBe(4);
  });

  it('counts a late ack after a resend only once', async () => {
    // Acks take 30 ms, the timeout is 10 ms: every epoch is resent at least once and then acked
    // twice or more; the run must still settle each epoch exactly once.
    const link = new FakeLink(() => false, 30);
    const progress: Progress[] = [];
    const { journal, dispatcher: d } = dispatcher(
      plan({ messages: 5, timeoutMs: 10, window: 5 }),
      link,
      (p) => progress.push(p),
    );
    expect((await runOnFakeTime(d)).status).toBe('completed');
    expect(journal.of('timeout').length).toBeGreaterThan(0);
    expect(progress.at(-1)?.settled).toBe(5);
    expect(progress.at(-1)?.acked).toBe(5);
  });
});

describe('Dispatcher watchdog', () => {
  it('ends a run whose link never takes a message as stalled, with a diagnosis', async () => {
    const link = new HungLink();
    const { dispatcher: d } = dispatcher(
      plan({ messages: 10, timeoutMs: 100, restartDelayMs: 0 }),
      link,
    );
    let outcome: Outcome | undefined;
    const running = d.run().then((o) => (outcome = o));
    // The stall limit is max(8 × 100 ms, 15 000 ms) = 15 000 ms: not yet...
    await vi.advanceTimersByTimeAsync(14_900);
    expect(outcome).toBeUndefined();
    // ...but soon after.
    await vi.advanceTimersByTimeAsync(300);
    await running;
    expect(outcome?.status).toBe('stalled');
    expect(outcome?.diagnosis).toMatch(/no message was acked or given up for 15 s/);
    // The window's first burst (8) is journalled as sent before its first message is handed over.
    expect(outcome?.diagnosis).toContain('with 8 in flight, 8 sends and 0 of 10 settled');
    expect(link.sent).toEqual([{ epoch: 1, attempt: 1 }]);
    expect(link.closed).toBe(true);
  });

  it('allows for delays and restarts before calling a run stalled', async () => {
    const link = new HungLink();
    const { dispatcher: d } = dispatcher(
      plan({
        messages: 3,
        timeoutMs: 1000,
        restartDelayMs: 500,
        faults: [
          { type: 'delay', direction: 'ack', ms: 1500, probability: 0.5 },
          { type: 'crash', point: 'after-execute', every: 2, restartMs: 700 },
        ],
      }),
      link,
    );
    let outcome: Outcome | undefined;
    const running = d.run().then((o) => (outcome = o));
    // Limit: max(8 × 1000, 15 000) + 1500 (longest delay) + 500 (restart delay) = 17 000 ms.
    await vi.advanceTimersByTimeAsync(16_900);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(300);
    await running;
    expect(outcome?.status).toBe('stalled');
  });

  it('does not call a slow but moving run stalled', async () => {
    // Each ack takes 2 s, well under the 15 s stall limit, but the whole run takes 20 s.
    const link = new FakeLink(() => false, 2000);
    const { dispatcher: d } = dispatcher(
      plan({ semantics: 'at-most-once', messages: 10, window: 1, timeoutMs: 3000 }),
      link,
    );
    let outcome: Outcome | undefined;
    const running = d.run().then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(21_000);
    await running;
    expect(outcome?.status).toBe('completed');
    expect(link.sent).toHaveLength(10);
  });

  it('calls a run whose every ack is lost stalled, although it keeps resending', async () => {
    const link = new FakeLink(() => true);
    const { dispatcher: d } = dispatcher(
      plan({ semantics: 'at-least-once', messages: 2, timeoutMs: 100 }),
      link,
    );
    let outcome: Outcome | undefined;
    const running = d.run().then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(15_300);
    await running;
    expect(outcome?.status).toBe('stalled');
    // It did keep trying: many resends, none of them acked.
    expect(link.sent.length).toBeGreaterThan(100);
  });
});
