import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { AckMessage, RoutedDispatcherLink, WorkMessage } from '../transports/contract.js';
import { AsyncQueue } from '../util/async-queue.js';
import { canPipeline, VirtualNetwork } from './virtual-network.js';

/**
 * The pipelined hand-over must give a run exactly the history of the one-at-a-time network: the
 * same acks at the same instants in the same order, the same deaths and restarts, whatever order
 * the machine answers in. A small dispatcher (window, timeouts, resends) runs over both, while a
 * seeded "machine" answers, crashes and restarts workers in a random real order: a crash's death
 * report may overtake the worker's earlier acks, or those acks may be lost with the process.
 */

const WORKERS = 3;
const EPOCHS = 40;
const WINDOW = 7;
const TIMEOUT_MS = 20;
const RESTART_MS = 5;
/** Epochs whose first delivery to reach a worker kills it, as a crash point does. */
const crashes = (epoch: number): boolean => epoch % 9 === 0;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class MachineLink implements RoutedDispatcherLink {
  readonly incoming = new AsyncQueue<AckMessage>();
  /** What each endpoint has received and not yet handled, in order. */
  readonly inbox = new Map<string, WorkMessage[]>();
  /** Acks each endpoint sent that have not reached the dispatcher yet. */
  readonly outbox = new Map<string, AckMessage[]>();

  async sendTo(endpoint: string, message: WorkMessage): Promise<void> {
    const list = this.inbox.get(endpoint) ?? [];
    list.push(message);
    this.inbox.set(endpoint, list);
  }
  async reachable(): Promise<void> {}
  acks(): AsyncIterable<AckMessage> {
    return this.incoming;
  }
  async close(): Promise<void> {
    this.incoming.end();
  }
}

/** A transport that carries everything for one incarnation at once in one wire message. */
class PackingMachineLink extends MachineLink {
  readonly packSizes: number[] = [];

  async sendAllTo(endpoint: string, messages: readonly WorkMessage[]): Promise<void> {
    this.packSizes.push(messages.length);
    for (const message of messages) await this.sendTo(endpoint, message);
  }
}

async function turn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

async function simulate(
  pipelined: boolean,
  seed: number,
  link: MachineLink = new MachineLink(),
): Promise<string[]> {
  const rand = random(seed);
  const clock = new VirtualClock();
  const history: string[] = [];
  const restarts: string[] = [];
  const incarnation = new Map<string, number>();
  for (let i = 1; i <= WORKERS; i++) incarnation.set(`w${i}`, 0);
  const network = new VirtualNetwork(
    link,
    clock,
    WORKERS,
    {
      restart: (worker) => {
        history.push(`${clock.now()} restart ${worker}`);
        restarts.push(worker);
      },
      kill: () => undefined,
    },
    () => 0,
    () => false,
    pipelined,
    crashes,
  );
  await network.waitForWorkers(WORKERS, 1000);

  // The dispatcher: a window of epochs in flight, each resent after a timeout until acked.
  const latest = new Map<number, number>();
  let next = 1;
  let acked = 0;
  const send = (epoch: number): void => {
    const attempt = (latest.get(epoch) ?? 0) + 1;
    latest.set(epoch, attempt);
    void network.send({ epoch, attempt });
    clock.after(TIMEOUT_MS, () => {
      if (latest.get(epoch) === attempt) send(epoch);
    });
  };
  void (async () => {
    for await (const ack of network.acks()) {
      history.push(`${clock.now()} ack ${ack.epoch}#${ack.attempt} from ${ack.worker}`);
      if (!latest.has(ack.epoch)) continue;
      latest.delete(ack.epoch);
      acked++;
      if (next <= EPOCHS) send(next++);
    }
  })();
  clock.atQuiescence(() => {
    while (next <= WINDOW) send(next++);
  });

  // The machine: workers answer in a random real order; crashes fire once per epoch.
  const fired = new Set<number>();
  const deliver = (endpoint: string, lose: boolean): void => {
    for (const ack of link.outbox.get(endpoint) ?? []) if (!lose) link.incoming.push(ack);
    link.outbox.set(endpoint, []);
  };
  for (let guard = 0; acked < EPOCHS; guard++) {
    if (guard > 200_000) throw new Error(`stuck at ${acked} acks; held by ${clock.heldBy()}`);
    await turn();
    const worker = `w${1 + Math.floor(rand() * WORKERS)}`;
    const endpoint = `${worker}.${incarnation.get(worker)}`;
    const restartAt = restarts.indexOf(worker);
    if (restartAt >= 0 && rand() < 0.3) {
      restarts.splice(restartAt, 1);
      network.workerUp(worker, incarnation.get(worker) as number);
      continue;
    }
    if (rand() < 0.4) {
      deliver(endpoint, false);
      continue;
    }
    const message = link.inbox.get(endpoint)?.shift();
    if (!message) continue;
    if (crashes(message.epoch) && !fired.has(message.epoch)) {
      fired.add(message.epoch);
      // The death report may overtake acks still on their way, or they die with the process.
      const lose = rand() < 0.5;
      if (rand() < 0.5) deliver(endpoint, lose);
      const dead = incarnation.get(worker) as number;
      incarnation.set(worker, dead + 1);
      network.workerDown(worker, dead, RESTART_MS, message);
      await turn();
      deliver(endpoint, lose);
      link.inbox.delete(endpoint);
      continue;
    }
    const out = link.outbox.get(endpoint) ?? [];
    out.push({ epoch: message.epoch, attempt: message.attempt, worker });
    link.outbox.set(endpoint, out);
  }
  clock.stop();
  return history;
}

describe('VirtualNetwork, pipelined', () => {
  it('gives the one-at-a-time history, whatever order the machine answers, crashes included', async () => {
    const reference = await simulate(false, 1);
    // The reference run did see crashes, restarts and resends: the comparison covers them.
    expect(reference.filter((line) => line.includes('restart')).length).toBeGreaterThan(1);
    expect(reference.some((line) => /#2 /.test(line))).toBe(true);
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      expect(await simulate(true, seed)).toEqual(reference);
      expect(await simulate(false, seed + 100)).toEqual(reference);
    }
  });

  it('gives the same history when a transport packs what leaves for one incarnation', async () => {
    const reference = await simulate(false, 1);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const link = new PackingMachineLink();
      expect(await simulate(true, seed, link)).toEqual(reference);
      // Packs were used, and some carried several messages: the grouping itself was exercised.
      expect(Math.max(...link.packSizes)).toBeGreaterThan(1);
    }
  });

  it('is used only where handing over never waits in the run’s time', () => {
    expect(canPipeline([{ type: 'drop', direction: 'ack', probability: 0.1 }])).toBe(true);
    expect(canPipeline([{ type: 'crash', point: 'after-execute', every: 5 }])).toBe(true);
    expect(canPipeline([{ type: 'work', ms: 10 }])).toBe(false);
    expect(canPipeline([{ type: 'pause', point: 'after-execute', every: 5, ms: 100 }])).toBe(false);
    expect(canPipeline([{ type: 'duplicate', direction: 'work', probability: 0.1 }])).toBe(false);
    expect(canPipeline([{ type: 'duplicate', direction: 'ack', probability: 0.1 }])).toBe(true);
  });
});
