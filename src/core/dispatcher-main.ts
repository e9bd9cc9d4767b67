/**
 * Entry point of the dispatcher process: `node dispatcher-main.js <runDir>`, started by the
 * supervisor. It binds the transport, reports its address, waits for `go`, runs the dispatcher and
 * reports the outcome.
 */
import { join } from 'node:path';
import { FaultyDispatcherLink } from '../faults/faulty-link.js';
import { isLinkFault } from '../faults/spec.js';
import { getTransport } from '../transports/registry.js';
import { Dispatcher } from './dispatcher.js';
import { attachToSupervisor, tellSupervisor, waitForMessage } from './ipc.js';
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
  // The fault layer only where there are network faults to inject: it adds a hop to every ack.
  const wrapped = plan.faults.some(isLinkFault)
    ? new FaultyDispatcherLink(link, plan.faults, plan.seed, journal)
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
      void tellSupervisor({ type: 'progress', progress });
    },
    redelivers,
  );
  const outcome = await dispatcher.run();
  journal.close();
  await tellSupervisor({ type: 'done', outcome });
  process.exit(0);
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  await tellSupervisor({ type: 'failed', message: `dispatcher: ${message}` });
  process.exit(1);
});
