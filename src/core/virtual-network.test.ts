import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { AckMessage, RoutedDispatcherLink, WorkMessage } from '../transports/contract.js';
import { AsyncQueue } from '../util/async-queue.js';
import { VirtualNetwork } from './virtual-network.js';

/** A routed link whose workers answer only when the test says so, in the order the test picks. */
class FakeRoutedLink implements RoutedDispatcherLink {
  readonly handed: { endpoint: string; message: WorkMessage }[] = [];
  readonly incoming = new AsyncQueue<AckMessage>();

  async sendTo(endpoint: string, message: WorkMessage): Promise<void> {
    this.handed.push({ endpoint, message });
  }
  async reachable(): Promise<void> {}
  acks(): AsyncIterable<AckMessage> {
    return this.incoming;
  }
  async close(): Promise<void> {
    this.incoming.end();
  }
  /** The worker holding `epoch` answers it. */
  answer(epoch: number): void {
    const held = [...this.handed].reverse().find((h) => h.message.epoch === epoch);
    if (!held) throw new Error(`epoch ${epoch} was never handed over`);
    const worker = held.endpoint.split('.')[0] as string;
    this.incoming.push({ epoch, attempt: held.message.attempt, worker });
  }
}

async function turns(n = 50): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function setup(workers = 3, workMs = 0) {
  const clock = new VirtualClock();
  const link = new FakeRoutedLink();
  const requests: string[] = [];
  const network = new VirtualNetwork(
    link,
    clock,
    workers,
    {
      restart: (worker) => requests.push(`restart ${worker}`),
      kill: (worker, incarnation) => requests.push(`kill ${worker}.${incarnation}`),
      thaw: (worker, incarnation, at) => requests.push(`thaw ${worker}.${incarnation}@${at}`),
    },
    () => workMs,
  );
  await network.waitForWorkers(workers, 1000);
  const acked: { epoch: number; at: number }[] = [];
  void (async () => {
    for await (const ack of network.acks()) acked.push({ epoch: ack.epoch, at: clock.now() });
  })();
  return { clock, link, network, requests, acked };
}

describe('VirtualNetwork', () => {
  it('routes round-robin in the fixed order and hands one message per worker at a time', async () => {
    const { link, network } = await setup();
    for (let epoch = 1; epoch <= 6; epoch++) await network.send({ epoch, attempt: 1 });
    await turns();
    expect(link.handed.map((h) => `${h.endpoint}:${h.message.epoch}@${h.message.at}`)).toEqual([
      'w1.0:1@1',
      'w2.0:2@1',
      'w3.0:3@1',
    ]);
    link.answer(2);
    await turns();
    // Nothing moves while w1 and w3 still hold their messages: the run waits for real work.
    expect(link.handed).toHaveLength(3);
    link.answer(3);
    link.answer(1);
    await turns();
    // All answered: each worker takes the next message of its own queue, at the same instant.
    expect(
      link.handed.slice(3).map((h) => `${h.endpoint}:${h.message.epoch}@${h.message.at}`),
    ).toEqual(['w1.0:4@1', 'w2.0:5@1', 'w3.0:6@1']);
  });

  it('applies answers in handover order, whatever order the machine delivered them in', async () => {
    const runs: number[][] = [];
    for (const order of [
      [1, 2, 3],
      [3, 1, 2],
    ]) {
      const { link, network, acked } = await setup();
      for (let epoch = 1; epoch <= 3; epoch++) await network.send({ epoch, attempt: 1 });
      await turns();
      for (const epoch of order) link.answer(epoch);
      await turns();
      expect(acked.every((a) => a.at === 2)).toBe(true);
      runs.push(acked.map((a) => a.epoch));
    }
    expect(runs[0]).toEqual([1, 2, 3]);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('a dead worker takes its message and its queue; it restarts after the delay, in virtual time', async () => {
    const { clock, link, network, requests, acked } = await setup(2);
    for (let epoch = 1; epoch <= 5; epoch++) await network.send({ epoch, attempt: 1 });
    await turns();
    // w1 holds 1 (queue: 3, 5); w2 holds 2 (queue: 4).
    network.workerDown('w1', 0, 100);
    link.answer(2);
    await turns();
    link.answer(4);
    await turns();
    expect(requests).toEqual(['restart w1']);
    // w1 died one hop after its handover; its restart was asked for 100 ms later.
    expect(clock.now()).toBe(101);
    network.workerUp('w1', 1);
    await turns();
    await network.send({ epoch: 6, attempt: 1 });
    await network.send({ epoch: 3, attempt: 2 });
    await turns();
    // Round-robin goes on where it was (w2 next), and w1's new incarnation takes its turn.
    expect(link.handed.slice(-2).map((h) => `${h.endpoint}:${h.message.epoch}`)).toEqual([
      'w2.0:6',
      'w1.1:3',
    ]);
    // Epochs 3 and 5 died in w1's queue: never handed over by the first incarnation.
    expect(link.handed.some((h) => h.message.epoch === 5)).toBe(false);
    expect(acked.map((a) => a.epoch)).toEqual([2, 4]);
  });

  it('--work-ms: the ack arrives a hop after the work, and the worker is busy until then', async () => {
    const { link, network, acked } = await setup(1, 40);
    await network.send({ epoch: 1, attempt: 1 });
    await network.send({ epoch: 2, attempt: 1 });
    await turns();
    link.answer(1);
    await turns();
    // Handed at 0, received at 1, worked 40 ms: the next is handed at 41 (received at 42).
    expect(link.handed.map((h) => `${h.message.epoch}@${h.message.at}`)).toEqual(['1@1', '2@42']);
    link.answer(2);
    await turns();
    // The first ack left after the work, one hop later: 42; the second 40 ms of work after it.
    expect(acked).toEqual([
      { epoch: 1, at: 42 },
      { epoch: 2, at: 83 },
    ]);
  });

  it('--pause: a frozen worker frees the clock and its epoch; the retry goes elsewhere; the thaw comes at its instant', async () => {
    const { clock, link, network, requests } = await setup(2);
    await network.send({ epoch: 1, attempt: 1 });
    await turns();
    expect(link.handed.map((h) => h.endpoint)).toEqual(['w1.0']);
    network.workerFrozen('w1', 0, 500);
    // The run's time moves on while w1 is frozen: the dispatcher's retry (at 200) goes to w2,
    // never to the frozen w1, though w1 is next in turn again.
    clock.after(200, () => void network.send({ epoch: 1, attempt: 2 }));
    await network.send({ epoch: 2, attempt: 1 });
    await turns();
    expect(link.handed.map((h) => `${h.endpoint}:${h.message.epoch}#${h.message.attempt}`)).toEqual(
      ['w1.0:1#1', 'w2.0:2#1'],
    );
    link.answer(2);
    await turns();
    expect(link.handed.at(-1)).toMatchObject({
      endpoint: 'w2.0',
      message: { epoch: 1, attempt: 2 },
    });
    // w2's real work on attempt 2 holds the run's time at 200: w1 is not thawed meanwhile.
    await turns(200);
    expect(requests).toEqual([]);
    link.answer(1);
    await turns();
    expect(requests).toEqual([`thaw w1.0@${clock.now()}`]);
    expect(clock.now()).toBe(501);
  });
});
