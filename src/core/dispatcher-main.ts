/**
 * The dispatcher process: `node dispatcher-entry.js <runDir>` (which loads this file once it
 * follows its parent), started by the supervisor. It binds the transport, reports its address, waits for `go`, runs the dispatcher and
 * reports the outcome.
 */
import { join } from 'node:path';
import { FaultyDispatcherLink, type FaultEntry, type FaultJournal } from '../faults/faulty-link.js';
import { isLinkFault } from '../faults/spec.js';
import { getTransport } from '../transports/registry.js';
import { Dispatcher } from './dispatcher.js';
import { LiveFaults } from '../faults/live.js';
import { attachToSupervisor, onLiveSwitch, tellSupervisor, waitForMessage } from './ipc.js';
import { Journal } from './journal.js';
import { readPlan } from './plan-file.js';
import { RUN_FILES } from './run-plan.js';

/** How long the dispatcher waits for all workers to connect before it starts anyway. */
const WORKER_CONNECT_TIMEOUT_MS = 10_000;
/** Progress reports to the supervisor, at most this often. */
const PROGRESS_INTERVAL_MS = 100;

async function main(): Promise<void> {
  const runDir = process.argv[2];
  if (!runDir) throw new Error('usage: dispatcher-main <runDir>');
  const plan = readPlan(runDir);
  attachToSupervisor(() => process.exit(0));
  const journal = new Journal(join(runDir, RUN_FILES.dispatcherJournal), {
    commit: { groupMs: 5 },
  });
  const transport = getTransport(plan.transport);
  const { link, address } = await transport.openDispatcher(plan);
  await tellSupervisor({ type: 'bound', address });
  await waitForMessage('go');
  await link.waitForWorkers(plan.workers, WORKER_CONNECT_TIMEOUT_MS);

  let lastProgressAt = 0;
  const ticker = new FaultTicker(journal);
  // A live run (keys in the live view) can switch faults on at any moment.
  const live = plan.live ? new LiveFaults(plan.timeoutMs) : undefined;
  // The fault layer only where there are network faults to inject: it adds a hop to every ack.
  const wrapped =
    plan.faults.some(isLinkFault) || live
      ? new FaultyDispatcherLink(link, plan.faults, plan.seed, ticker, live)
      : link;
  // A transport that redelivers recovers what dead workers held; the dispatcher then sends each
  // epoch once and gives up on it only after the transport has had ample time to redeliver it.
  const horizonMs = transport.redeliveryHorizonMs?.(plan);
  const redelivers = horizonMs !== undefined;
  const dispatchPlan = redelivers
    ? { ...plan, timeoutMs: Math.max(plan.timeoutMs, horizonMs + plan.restartDelayMs) }
    : plan;
  const dispatcher = new Dispatcher(
    dispatchPlan,
    wrapped,
    journal,
    (progress) => {
      const now = performance.now();
      if (now - lastProgressAt < PROGRESS_INTERVAL_MS && progress.settled < plan.messages) return;
      lastProgressAt = now;
      void tellSupervisor({
        type: 'progress',
        progress: { ...progress, faultsInjected: ticker.count, recentFaults: ticker.recent },
      });
    },
    redelivers,
  );
  onLiveSwitch((which, on) => {
    journal.append({ kind: 'live', switch: which, on });
    if (which === 'pause') dispatcher.setPaused(on);
    else live?.set(which, on);
  });
  const outcome = await dispatcher.run();
  journal.close();
  await tellSupervisor({ type: 'done', outcome });
  process.exit(0);
}

/**
 * The fault layer's journal, which also keeps the count and the latest few of what it did, for
 * the live view's ticker (the counts in the report still come from the journal).
 */
class FaultTicker implements FaultJournal {
  count = 0;
  recent: string[] = [];

  constructor(private readonly journal: Journal) {}

  append(entry: FaultEntry): void {
    this.journal.append(entry);
    this.count++;
    const what = entry.direction === 'work' ? `work of ${entry.epoch}` : `ack of ${entry.epoch}`;
    const how = entry.fault === 'drop' ? 'dropped' : `held ${entry.ms ?? 0} ms`;
    this.recent = [...this.recent.slice(-2), `${what} ${how}${entry.live ? ' (live)' : ''}`];
  }
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  await tellSupervisor({ type: 'failed', message: `dispatcher: ${message}` });
  process.exit(1);
});
