import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { claimRunFolder, endRunFolder, runsRoot } from '../core/run-folder.js';
import { stateDirError } from '../core/state-dir.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import { DISCARDED_OUTCOME_FILE, journalsDiscardedIn } from '../core/journal.js';
import {
  prepareRunResources,
  releaseRunResources,
  unansweringService,
} from '../core/run-resources.js';
import { Supervisor } from '../core/supervisor.js';
import { localized, messages } from '../i18n/catalog.js';
import { InfrastructureError, InterruptedError, SemlabError } from '../shared/errors.js';
import { isStorageFailure, systemFailure } from '../shared/system-error.js';
import { checkRun, timedEvents } from '../report/history.js';
import { readPlan } from '../core/plan-file.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { buildRunReport, type RunReport } from '../report/run-report.js';
import type { RunSettings } from './run-options.js';
import { LiveView } from './live-view.js';
import { QUIT_KEY, RunStoppedError } from './run-stopped.js';
import { interruptScope } from './signals.js';
import { colourFor, PlainProgress, ProgressLine, type RunDisplay } from './terminal.js';

/**
 * One run from settings to report: a run folder, the supervised processes, the checker. Progress
 * shows on stderr when it is a terminal. From the moment it starts, Ctrl-C, SIGTERM and SIGHUP stop
 * every child and release the run's keys and topics before this rejects with an InterruptedError,
 * whatever the run was doing: starting, running or cleaning up (./signals.ts).
 */
export async function executeRun(
  settings: RunSettings,
  label: string = settings.semantics,
  /** `noLiveView`: a progress line at most, never the live view's keys (`semlab grade`). */
  options: { noLiveView?: boolean } = {},
): Promise<RunReport> {
  let supervisor: Supervisor | undefined;
  const stop = interruptScope((signal) => supervisor?.interrupt(signal));
  let report: RunReport;
  try {
    // The folder is marked in progress from its first moment (so no pruning removes it) until
    // the run has ended here, whatever the way; a killed semlab leaves the mark, read as
    // interrupted.
    const { runId, runDir } = openRunFolder();
    try {
      report = await runToReport(settings, label, runId, runDir, options, (created) => {
        supervisor = created;
        // A signal during the checks before it existed: it stops before it starts anything.
        if (stop.signal) created.interrupt(stop.signal);
      });
    } finally {
      endRunFolder(runDir);
    }
  } catch (error) {
    // A signal decides how the run ended, whatever error stopping it caused on the way (the
    // dispatcher killed by the same SIGHUP from a closing terminal, say).
    if (stop.signal) throw new InterruptedError(stop.signal);
    throw error;
  } finally {
    stop.end();
  }
  // A signal during the check or the cleanup of a completed run: it was still cleaned up.
  if (stop.signal) throw new InterruptedError(stop.signal);
  return report;
}

async function runToReport(
  settings: RunSettings,
  label: string,
  runId: string,
  runDir: string,
  options: { noLiveView?: boolean },
  onSupervisor: (supervisor: Supervisor) => void,
): Promise<RunReport> {
  let cleanupProblems: string[] = [];
  const { plainProgress, ...runSettings } = settings;
  // The live view (and its keys) where a person sits at a terminal; plain lines with --no-live.
  const live =
    !options.noLiveView &&
    !plainProgress &&
    process.stderr.isTTY === true &&
    process.stdin.isTTY === true;
  const plan: RunPlan = {
    ...runSettings,
    runId,
    runDir,
    ...(live ? { live: true } : {}),
  };
  let display: RunDisplay = plainProgress
    ? new PlainProgress(process.stderr, plan.messages, label)
    : new ProgressLine(process.stderr, plan.messages, label);
  // Before the transport's check: it finds the local cluster --crash-broker needs (or fails
  // fast), and starts again a broker an earlier, killed semlab left dead.
  // Loaded only by a run that crashes a broker: the module brings kafkajs with it.
  const brokerCrash = plan.kafka?.crashBroker
    ? await (
        await import('../core/broker-crash.js')
      ).BrokerCrash.prepare(plan, (note) => display.setNote(note))
    : undefined;
  const supervisor = new Supervisor(
    plan,
    {
      onProgress: (p) => display.update(p),
      onWorkerState: (worker, state, detail) => display.workerState(worker, state, detail),
    },
    brokerCrash ? [brokerCrash] : [],
  );
  onSupervisor(supervisor);
  if (live) {
    display = new LiveView(
      process.stderr,
      process.stdin,
      colourFor(process.stderr),
      messages().liveHeader({
        label,
        transport: plan.transport,
        workers: plan.workers,
        messages: plan.messages,
      }),
      plan.messages,
      plan.workers,
      {
        setSwitch: (which, on) => supervisor.setLiveSwitch(which, on),
        crashWorker: (worker) => supervisor.crashWorker(worker),
        freezeWorker: (worker) => supervisor.freezeWorker(worker),
        cutWorker: (worker) => supervisor.cutWorker(worker),
        quit: () => supervisor.interrupt(QUIT_KEY),
      },
    );
  }
  // A failed check deletes itself what the checks before it created (topics, keys).
  await prepareRunResources(plan).catch(async (error: unknown) => {
    await brokerCrash?.close();
    throw asStorageError(error, plan.runDir);
  });
  let report: RunReport;
  try {
    display.start?.();
    // Also when a signal came during the checks: the interrupted supervisor then starts nothing,
    // journals the run's end and lets go of the broker-crash fault.
    const outcome = await supervisor.run();
    display.clear();
    // A bench-only build emptied the journals (src/bench/discard-journal.ts): the run has no
    // counts to report. Only its dispatch outcome is kept, for the bench, and the run is refused.
    if (journalsDiscardedIn(join(plan.runDir, RUN_FILES.journalDir))) {
      writeFileAtomic(join(plan.runDir, DISCARDED_OUTCOME_FILE), JSON.stringify(outcome) + '\n');
      throw new InfrastructureError(localized('journalsDiscarded', { runDir: plan.runDir }));
    }
    // A stall has many causes; a server that stopped answering (frozen, SIGSTOP) is one a person
    // can act on, so it is named, with its address, instead of a report of a run that never ran.
    // Its effects could not be read back either.
    if (outcome.status === 'stalled') {
      const server = await unansweringService(plan);
      if (server) {
        throw new InfrastructureError(
          localized('runStalled', { diagnosis: server, runDir: plan.runDir }),
        );
      }
    }
    report = buildRunReport(plan, outcome, await checkRun(plan));
    writeFileAtomic(join(plan.runDir, RUN_FILES.report), JSON.stringify(report, null, 2) + '\n');
  } catch (error) {
    // Stopped with q: the counts so far, checked before the cleanup deletes the store's keys.
    if (error instanceof InterruptedError && error.signal === QUIT_KEY) {
      throw new RunStoppedError(await checkRun(plan).catch(() => undefined));
    }
    throw asStorageError(error, plan.runDir);
  } finally {
    display.clear();
    // Keys and topics go after the check (the redis store's effects are read from Redis), and
    // also after a failed or interrupted run, where a cleanup problem must not hide the error.
    cleanupProblems = await releaseRunResources(plan);
  }
  // A stalled run ends with its stall (failIfStalled, after its report), never with "completed".
  if (cleanupProblems.length > 0 && report.status === 'stalled') {
    throw new InfrastructureError(
      localized('runStalled', {
        diagnosis: `${report.diagnosis ?? '?'}; its cleanup failed too: ${cleanupProblems.join('; ')}`,
        runDir: plan.runDir,
      }),
    );
  }
  if (cleanupProblems.length > 0) {
    throw new InfrastructureError(
      `the run completed but its cleanup failed: ${cleanupProblems.join('; ')}`,
    );
  }
  return report;
}

/** A new run folder; a home that cannot hold it (a file, read-only, full) is one clear error. */
function openRunFolder(): { runId: string; runDir: string } {
  try {
    return claimRunFolder();
  } catch (error) {
    throw stateDirError(runsRoot(), error);
  }
}

/** A full disk or a read-only file system under the run folder names the folder and the cause. */
function asStorageError(error: unknown, runDir: string): unknown {
  if (error instanceof SemlabError) return error;
  return isStorageFailure(systemFailure(error)) ? stateDirError(runDir, error) : error;
}

/**
 * Writes a run's merged journal to `file` as JSON lines, in time order, each event with its
 * instant `at` (report/history.ts eventInstant: virtual ms on the virtual clock, wall ms since the
 * run started otherwise). The file was checked before the run (./events-file.ts); a failure while
 * writing (a full disk) is an infrastructure error naming the file, never an unhandled 'error'
 * event.
 */
export async function writeEvents(runDir: string, file: string): Promise<void> {
  const { clock } = readPlan(runDir);
  async function* lines(): AsyncIterable<string> {
    for await (const { event, at } of timedEvents(runDir, clock))
      yield JSON.stringify({ ...event, at }) + '\n';
  }
  try {
    await pipeline(Readable.from(lines()), createWriteStream(file));
  } catch (error) {
    const failure = systemFailure(error);
    if (!failure) throw error;
    throw new InfrastructureError(localized('eventsNotWritten', { file, code: failure.code }), {
      cause: error,
    });
  }
}
