/**
 * `node own-work-main.js <dispatcher|worker> <messages> <workers> <window>`: semlab's own work per
 * message, with no transport and no other process, forked by the bench (./own-work.ts).
 *
 * - `dispatcher`: the dispatcher, the virtual network and the virtual clock of a default run,
 *   journalling to a real file, over a routed link that answers each handover at the next turn of
 *   the event loop, as quickly as a worker could.
 * - `worker`: one worker's loop (the at-least-once steps, its burst path), journalling to a real
 *   file, fed packs of a worker's share of the window from memory.
 *
 * The transport's cost is what is left out on purpose: what remains is the floor of what semlab
 * adds to a raw loop on any transport. The process reports its own CPU time per message, with its
 * start-up left out (taken before and after the measured loop).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../clock/virtual-clock.js';
import { Dispatcher } from '../core/dispatcher.js';
import { Journal } from '../core/journal.js';
import { VirtualNetwork, MOST_SENDS_PER_BATCH } from '../core/virtual-network.js';
import { MessageInstant, serveWork } from '../core/worker.js';
import type { RunPlan } from '../core/run-plan.js';
import { CrashGate } from '../faults/crash-gate.js';
import type {
  AckMessage,
  RoutedDispatcherLink,
  WorkMessage,
  WorkerLink,
} from '../transports/contract.js';
import { AsyncQueue } from '../util/async-queue.js';
import { failToBench, followBench, tellBench } from './protocol.js';

/** Answers every handover at the next turn of the event loop, one ack per message, in order. */
class AnsweringLink implements RoutedDispatcherLink {
  private readonly answers = new AsyncQueue<AckMessage>();

  async sendTo(endpoint: string, message: WorkMessage): Promise<void> {
    return this.sendAllTo(endpoint, [message]);
  }

  async sendAllTo(endpoint: string, messages: readonly WorkMessage[]): Promise<void> {
    // The endpoint is an incarnation, `w2.0`: the ack names the worker.
    const worker = endpoint.slice(0, endpoint.indexOf('.'));
    setImmediate(() => {
      for (const { epoch, attempt } of messages) this.answers.push({ epoch, attempt, worker });
    });
  }

  async reachable(): Promise<void> {}
  acks(): AsyncIterable<AckMessage> {
    return this.answers;
  }
  async waitForWorkers(count: number): Promise<number> {
    return count;
  }
  async close(): Promise<void> {
    this.answers.end();
  }
}

/** Hands out `messages` in packs of `share`, each at instant 1, and takes the acks in bursts. */
class FeedingLink implements WorkerLink {
  acked = 0;
  constructor(
    private readonly messages: number,
    private readonly share: number,
  ) {}

  async *deliveries(): AsyncIterable<WorkMessage> {
    for await (const burst of this.deliveryBursts()) yield* burst;
  }

  async *deliveryBursts(): AsyncIterable<readonly WorkMessage[]> {
    for (let next = 1; next <= this.messages;) {
      const burst: WorkMessage[] = [];
      for (; burst.length < this.share && next <= this.messages; next++)
        burst.push({ epoch: next, attempt: 1, at: 1 });
      yield burst;
    }
  }

  async ack(): Promise<void> {
    this.acked++;
  }

  async ackBurst(acks: readonly AckMessage[]): Promise<void> {
    this.acked += acks.length;
  }

  async close(): Promise<void> {}
}

async function measureDispatcher(dir: string, messages: number, workers: number, window: number) {
  const plan: RunPlan = {
    runId: 'own-work',
    runDir: dir,
    semantics: 'at-least-once',
    transport: 'zmq',
    workers,
    messages,
    seed: 1,
    timeoutMs: 1000,
    window,
    store: 'sqlite',
    restartDelayMs: 100,
    faults: [],
    clock: 'virtual',
  };
  const clock = new VirtualClock();
  // As dispatcher-main opens it: group commit, the virtual instant on every line.
  const journal = new Journal(join(dir, 'dispatcher.jsonl'), {
    commit: { groupMs: 5 },
    virtualNow: () => clock.now(),
  });
  const network = new VirtualNetwork(
    new AnsweringLink(),
    clock,
    workers,
    { restart: () => undefined, kill: () => undefined },
    () => 0,
    () => false,
    true,
    () => false,
    () => journal.commit(),
    Math.min(window, MOST_SENDS_PER_BATCH),
  );
  await network.waitForWorkers(workers, 1000);
  const dispatcher = new Dispatcher(plan, network, journal, () => undefined, false, clock);
  const before = process.cpuUsage();
  const outcome = await dispatcher.run();
  const cpu = process.cpuUsage(before);
  journal.close();
  if (outcome.status !== 'completed') throw new Error(`the dispatcher ended ${outcome.status}`);
  return cpu;
}

async function measureWorker(dir: string, messages: number, workers: number, window: number) {
  const instant = new MessageInstant();
  const journal = new Journal(join(dir, 'w1.0.jsonl'), {
    commit: 'explicit',
    virtualNow: () => instant.at,
  });
  const link = new FeedingLink(messages, Math.max(1, Math.floor(window / workers)));
  const before = process.cpuUsage();
  await serveWork({
    workerId: 'w1',
    steps: 'execute',
    faults: [],
    link,
    store: undefined,
    journal,
    releaseOnReceipt: false,
    crashGate: new CrashGate(join(dir, 'crash-gate')),
    die: () => {
      throw new Error('no crash is scheduled here');
    },
    instant,
  });
  const cpu = process.cpuUsage(before);
  journal.close();
  if (link.acked !== messages) throw new Error(`the worker acked ${link.acked} of ${messages}`);
  return cpu;
}

async function main(): Promise<void> {
  const [role, ...numbers] = process.argv.slice(2);
  const [messages, workers, window] = numbers.map(Number);
  if (
    (role !== 'dispatcher' && role !== 'worker') ||
    ![messages, workers, window].every((n) => n !== undefined && Number.isInteger(n) && n >= 1)
  )
    throw new Error('usage: own-work-main <dispatcher|worker> <messages> <workers> <window>');
  followBench();
  const dir = mkdtempSync(join(tmpdir(), 'semlab-own-work-'));
  // However this process ends (done, failed, or following a bench that went away), its journals
  // go with it; the bench stops it as soon as it has its figure.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  // The bench stops what it forked with SIGTERM (an interrupted bench too): exit, so the above runs.
  process.on('SIGTERM', () => process.exit(143));
  const measure = role === 'dispatcher' ? measureDispatcher : measureWorker;
  const cpu = await measure(dir, messages as number, workers as number, window as number);
  await tellBench({
    type: 'own-work',
    cpuUsPerMessage: (cpu.user + cpu.system) / (messages as number),
  });
  process.exit(0);
}

main().catch((error: unknown) => failToBench('own-work', error));
