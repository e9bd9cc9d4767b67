/**
 * A worker process: `node worker-entry.js <runDir> <workerId> <incarnation> <address>` (which loads
 * this file once it follows its parent), started (and restarted after a crash) by the supervisor. Each incarnation writes its own journal
 * (which holds its effects too), so a restarted worker never appends to the file of a dead process.
 */
import { join } from 'node:path';
import { CrashGate } from '../faults/crash-gate.js';
import { getStore } from '../stores/registry.js';
import { getTransport } from '../transports/registry.js';
import { attachToSupervisor, tellSupervisor, waitForMessage } from './ipc.js';
import { Journal } from './journal.js';
import { readPlan } from './plan-file.js';
import { RUN_FILES, workerJournalFile } from './run-plan.js';
import { PRESETS } from './semantics.js';
import { MessageInstant, serveWork } from './worker.js';

async function main(): Promise<void> {
  const [runDir, workerId, incarnationText, address] = process.argv.slice(2);
  if (!runDir || !workerId || !incarnationText || !address) {
    throw new Error('usage: worker-main <runDir> <workerId> <incarnation> <address>');
  }
  const incarnation = Number(incarnationText);
  const plan = readPlan(runDir);
  const preset = PRESETS[plan.semantics];
  const virtual = plan.clock === 'virtual';
  // On the virtual clock, time for this worker is the instant of the message in hand.
  const instant = virtual ? new MessageInstant() : undefined;
  const journal = new Journal(join(runDir, workerJournalFile(workerId, incarnation)), {
    commit: 'explicit',
    ...(instant ? { virtualNow: () => instant.at } : {}),
  });
  // However this process ends short of a kill (the end-of-run stop, a dead parent, a failure),
  // what it journalled reaches the file first.
  process.on('exit', () => journal.close());
  const store = preset.usesStore
    ? await getStore(plan.store).open(plan, journal, instant?.now)
    : undefined;
  // On the virtual clock the dispatcher routes: this incarnation is addressed as "w2.1".
  const endpoint = virtual ? `${workerId}.${incarnation}` : undefined;
  const link = await getTransport(plan.transport).openWorker(plan, address, workerId, endpoint);

  attachToSupervisor(() => {
    // A normal end of run: nothing is left to do that the journal does not already hold. Closing
    // is still worth a moment: a Kafka consumer that leaves its group lets the run's group be
    // deleted at once, instead of after its session expires. The supervisor kills us at 500 ms.
    const leave = setTimeout(() => process.exit(0), 400);
    void link.close().finally(() => {
      clearTimeout(leave);
      process.exit(0);
    });
  });
  await tellSupervisor({ type: 'ready' });
  await serveWork({
    workerId,
    steps: preset.workerSteps,
    releaseOnReceipt: !preset.retries,
    faults: plan.faults,
    seed: plan.seed,
    link,
    store,
    journal,
    crashGate: new CrashGate(join(runDir, RUN_FILES.crashGateDir)),
    pause: async (ms) => {
      // Listening before asking: the supervisor freezes this process and thaws it with 'thawed'.
      const thawed = waitForMessage('thawed');
      await tellSupervisor({ type: 'pause', ms });
      const { at } = await thawed;
      return at !== undefined ? { at } : {};
    },
    ...(instant ? { instant } : {}),
    die: () => {
      // A real death: no cleanup, no flush, no goodbye, exactly like a power cut of one process.
      process.kill(process.pid, 'SIGKILL');
      throw new Error('unreachable: SIGKILL did not end the process');
    },
  });
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const [, , , workerId, incarnation] = process.argv;
  await tellSupervisor({
    type: 'failed',
    message: `worker ${workerId} (incarnation ${incarnation}): ${message}`,
  });
  process.exit(1);
});
