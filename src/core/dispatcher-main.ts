/**
 * The dispatcher process: `node dispatcher-entry.js <runDir>` (which loads this file once it
 * follows its parent), started by the supervisor. It binds the transport, reports its address, waits for `go`, runs the dispatcher and
 * reports the outcome.
 */
import { join } from 'node:path';
import type { Clock } from '../clock/clock.js';
import { RealClock } from '../clock/real-clock.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { FaultyDispatcherLink, type FaultEntry, type FaultJournal } from '../faults/faulty-link.js';
import { CRASH_POINTS, needsFaultLayer, type LiveSwitch } from '../faults/spec.js';
import { decideCrash } from '../faults/decide.js';
import { loadTransport } from '../transports/registry.js';
import { decideWorkTime } from '../faults/work-time.js';
import { partitionAt } from '../faults/partition.js';
import { Dispatcher } from './dispatcher.js';
import { LiveFaults } from '../faults/live.js';
import {
  attachToSupervisor,
  onLiveSwitch,
  onSupervisorMessage,
  tellSupervisor,
  waitForMessage,
} from './ipc.js';
import { Journal } from './journal.js';
import { readPlan } from './plan-file.js';
import { RUN_FILES, type RunPlan } from './run-plan.js';
import type { DispatcherLink, Transport } from '../transports/contract.js';
import { canPipeline, MOST_SENDS_PER_BATCH, VirtualNetwork } from './virtual-network.js';

/** How long the dispatcher waits for all workers to connect before it starts anyway. */
const WORKER_CONNECT_TIMEOUT_MS = 10_000;
/** Progress reports to the supervisor, at most this often. */
const PROGRESS_INTERVAL_MS = 100;

async function main(): Promise<void> {
  const runDir = process.argv[2];
  if (!runDir) throw new Error('usage: dispatcher-main <runDir>');
  const plan = readPlan(runDir);
  attachToSupervisor(() => process.exit(0));
  const clock: Clock = plan.clock === 'virtual' ? new VirtualClock() : new RealClock();
  const journal = new Journal(join(runDir, RUN_FILES.dispatcherJournal), {
    commit: { groupMs: 5 },
    ...(clock instanceof VirtualClock ? { virtualNow: () => clock.now() } : {}),
  });
  const transport = await loadTransport(plan.transport);
  const ticker = new FaultTicker(journal);
  // A live run (keys in the live view) can switch faults on at any moment.
  const replaysSwitches =
    plan.replay?.some((action) => 'switch' in action || 'cut' in action) === true;
  const live = plan.live || replaysSwitches ? new LiveFaults(plan.timeoutMs) : undefined;
  const { link, address, network } = await openLink(transport, plan, clock, ticker, live, journal);
  await tellSupervisor({ type: 'bound', address });
  const go = await waitForMessage('go');
  if (network && go.incarnations) network.setIncarnations(go.incarnations);
  await link.waitForWorkers(plan.workers, WORKER_CONNECT_TIMEOUT_MS);

  let lastProgressAt = 0;
  // The fault layer only where there are network faults to inject: it adds a hop to every ack.
  const wrapped =
    plan.faults.some(needsFaultLayer) || live
      ? new FaultyDispatcherLink(link, plan.faults, plan.seed, ticker, live, clock)
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
    clock,
  );
  network?.onFailure((error) => {
    void tellSupervisor({ type: 'failed', message: `dispatcher: ${error.message}` }).then(() =>
      process.exit(1),
    );
  });
  const applySwitch = (which: LiveSwitch, on: boolean, step?: number): void => {
    journal.append({ kind: 'live', switch: which, on, ...(step !== undefined ? { step } : {}) });
    if (which === 'pause') dispatcher.setPaused(on);
    else live?.set(which, on);
  };
  const killWorker = (worker: string, atStep?: number): void =>
    network?.killAtStep(worker, atStep, (step) => {
      if (step !== undefined) journal.append({ kind: 'live-kill', worker, step });
    });
  // On the virtual clock a key takes effect at the next fully quiet point, journalled with its
  // step, so a replay (plan.replay) can apply it at exactly the same point of the run.
  onLiveSwitch((which, on) => {
    if (clock instanceof VirtualClock) clock.atStep((step) => applySwitch(which, on, step));
    else applySwitch(which, on);
  });
  // The live view's freeze key: at the next quiet point, journalled with its step for a replay.
  const freezeWorker = (worker: string, atStep?: number): void =>
    network?.freezeAtStep(worker, atStep, (step, on) => {
      if (step !== undefined) journal.append({ kind: 'live-freeze', worker, on, step });
    });
  onSupervisorMessage('live-freeze', (m) => freezeWorker(m.worker));
  // The live view's cut key: the worker's messages are lost both ways (acks only on the real
  // clock, where the transport routes work), until the key is pressed again.
  const cutWorker = (worker: string, atStep?: number): void => {
    const apply = (step?: number): void => {
      if (!live) return;
      const on = !live.isCut(worker);
      live.setCut(worker, on);
      journal.append({ kind: 'live-cut', worker, on, ...(step !== undefined ? { step } : {}) });
    };
    if (clock instanceof VirtualClock) clock.atStep(apply, atStep);
    else apply();
  };
  onSupervisorMessage('live-cut', (m) => cutWorker(m.worker));
  onSupervisorMessage('live-kill', (m) => {
    if (m.worker) killWorker(m.worker);
  });
  for (const action of plan.replay ?? []) {
    if (!(clock instanceof VirtualClock)) break;
    if ('kill' in action) killWorker(action.kill, action.step);
    else if ('freeze' in action) freezeWorker(action.freeze, action.step);
    else if ('cut' in action) cutWorker(action.cut, action.step);
    else clock.atStep((step) => applySwitch(action.switch, action.on, step), action.step);
  }
  const outcome = await dispatcher.run();
  journal.close();
  await tellSupervisor({ type: 'done', outcome });
  process.exit(0);
}

/**
 * The dispatcher's end of the link. On the virtual clock it is the virtual network over the
 * transport's routed link, which the supervisor keeps informed of worker deaths and restarts.
 */
async function openLink(
  transport: Transport,
  plan: RunPlan,
  clock: Clock,
  faultJournal: FaultJournal,
  live: LiveFaults | undefined,
  journal: Journal,
): Promise<{ link: DispatcherLink; address: string; network?: VirtualNetwork }> {
  if (!(clock instanceof VirtualClock)) return transport.openDispatcher(plan);
  if (!transport.openRoutedDispatcher)
    throw new Error(`transport ${transport.name} cannot run on the virtual clock`);
  const { link: routed, address } = await transport.openRoutedDispatcher(plan);
  const network = new VirtualNetwork(
    routed,
    clock,
    plan.workers,
    {
      restart: (worker) => void tellSupervisor({ type: 'restart-worker', worker }),
      kill: (worker, incarnation) =>
        void tellSupervisor({ type: 'kill-worker', worker, incarnation }),
      thaw: (worker, incarnation, at) =>
        void tellSupervisor({ type: 'thaw-worker', worker, incarnation, at }),
      freeze: (worker, incarnation, on) =>
        void tellSupervisor({ type: 'freeze-worker', worker, incarnation, on }),
    },
    (epoch, attempt) => decideWorkTime(plan.faults, plan.seed, epoch, attempt)?.ms ?? 0,
    (worker, message, now) => {
      const cut = partitionAt(plan.faults, worker, 'work', now);
      if (cut < 0 && !live?.isCut(worker)) return false;
      const { epoch, attempt } = message;
      faultJournal.append({
        kind: 'fault',
        fault: 'partition',
        direction: 'work',
        epoch,
        attempt,
        ...(cut >= 0 ? { spec: cut } : { live: true as const }),
        worker,
      });
      return true;
    },
    canPipeline(plan.faults),
    (epoch) => CRASH_POINTS.some((point) => decideCrash(plan.faults, point, epoch) !== undefined),
    () => journal.commit(),
    Math.min(plan.window, MOST_SENDS_PER_BATCH),
  );
  onSupervisorMessage('worker-up', (m) => network.workerUp(m.worker, m.incarnation));
  onSupervisorMessage('worker-frozen', (m) => network.workerFrozen(m.worker, m.incarnation, m.ms));
  onSupervisorMessage('worker-down', (m) =>
    network.workerDown(m.worker, m.incarnation, m.restartMs, m.crashedOn),
  );
  return { link: network, address, network };
}

/**
 * The fault layer's journal, which also keeps the count and the latest few of what it did, for
 * the live view's ticker (the counts in the report still come from the journal).
 */
class FaultTicker implements FaultJournal {
  count = 0;
  recent: string[] = [];

  constructor(private readonly journal: Journal) {}

  commit(): void {
    this.journal.commit();
  }

  append(entry: FaultEntry): void {
    this.journal.append(entry);
    this.count++;
    const what = entry.direction === 'work' ? `work of ${entry.epoch}` : `ack of ${entry.epoch}`;
    const how =
      entry.fault === 'drop'
        ? 'dropped'
        : entry.fault === 'duplicate'
          ? 'duplicated'
          : entry.fault === 'partition'
            ? `lost: ${entry.worker ?? '?'} cut off`
            : `held ${entry.ms ?? 0} ms`;
    this.recent = [...this.recent.slice(-2), `${what} ${how}${entry.live ? ' (live)' : ''}`];
  }
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  await tellSupervisor({ type: 'failed', message: `dispatcher: ${message}` });
  process.exit(1);
});
