/**
 * A worker process: `node worker-entry.js <runDir> <workerId> <incarnation> <address>` (which loads
 * this file once it follows its parent), started (and restarted after a crash) by the supervisor. Each incarnation writes its own journal
 * (which holds its effects too), so a restarted worker never appends to the file of a dead process.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CrashGate } from '../faults/crash-gate.js';
import { loadStore } from '../stores/registry.js';
import { loadTransport } from '../transports/registry.js';
import { attachToSupervisor, tellSupervisor, waitForMessage } from './ipc.js';
import { Journal } from './journal.js';
import { readPlan } from './plan-file.js';
import { runUsesStore } from './run-resources.js';
import { RUN_FILES, workerJournalFile, type RunPlan } from './run-plan.js';
import { PRESETS } from './semantics.js';
import { MessageInstant, serveWork } from './worker.js';
import { ChildChannel } from './external-worker/child-process.js';
import { ProtocolViolation, StudentWorker } from './external-worker/student-worker.js';
import { catalogFor, renderText } from '../i18n/catalog.js';

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
  // A student's program may use the store whatever the preset: it is open for it.
  const store = runUsesStore(plan)
    ? await (await loadStore(plan.store)).open(plan, journal, instant?.now)
    : undefined;
  // On the virtual clock the dispatcher routes: this incarnation is addressed as "w2.1".
  const endpoint = virtual ? `${workerId}.${incarnation}` : undefined;
  const link = await (
    await loadTransport(plan.transport)
  ).openWorker(plan, address, workerId, endpoint);

  const student =
    plan.workerCmd !== undefined ? startStudent(plan, workerId, incarnation) : undefined;
  if (student) await student.init();

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
    ...(student ? { customSteps: student.steps } : {}),
    die: () => {
      // A real death: no cleanup, no flush, no goodbye, exactly like a power cut of one process.
      // With a student's program, both at once: this process leads their process group.
      process.kill(student ? -process.pid : process.pid, 'SIGKILL');
      throw new Error('unreachable: SIGKILL did not end the process');
    },
  });
}

/**
 * The student's program for this incarnation, its stderr kept in the run folder. It dies with this
 * process: on any exit here (the end of the run, a dead supervisor) it is killed, and the
 * supervisor kills this process's group when this process dies some other way.
 */
function startStudent(plan: RunPlan, workerId: string, incarnation: number): StudentWorker {
  const logs = join(plan.runDir, RUN_FILES.workerLogsDir);
  mkdirSync(logs, { recursive: true });
  const channel = new ChildChannel(
    plan.workerCmd ?? '',
    join(logs, `${workerId}.${incarnation}.log`),
  );
  // A SIGTERM still ends this process, but through a handler: the one sent below to this process's
  // group, for whatever the program started itself (a shell's child), is then not this process's
  // death before its other exit handlers (its journal) have run.
  process.on('SIGTERM', () => process.exit(143));
  process.on('exit', () => {
    channel.kill();
    try {
      process.kill(-process.pid, 'SIGTERM');
    } catch {
      // Nothing else is left in the group.
    }
  });
  return new StudentWorker(channel, {
    worker: workerId,
    incarnation,
    semantics: plan.semantics,
    store: plan.store,
    transport: plan.transport,
    workers: plan.workers,
    messages: plan.messages,
  });
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const [, , , workerId, incarnation] = process.argv;
  await tellSupervisor(
    error instanceof ProtocolViolation
      ? { type: 'failed', message: renderText(error.text, catalogFor('en')), protocol: error.text }
      : { type: 'failed', message: `worker ${workerId} (incarnation ${incarnation}): ${message}` },
  );
  process.exit(1);
});
