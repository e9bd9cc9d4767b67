import { once } from 'node:events';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerCrash } from '../core/broker-crash.js';
import { createRunFolder, newRunId } from '../core/run-folder.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import {
  prepareRunResources,
  releaseRunResources,
  unansweringService,
} from '../core/run-resources.js';
import { localized } from '../i18n/catalog.js';
import { Supervisor } from '../core/supervisor.js';
import { InfrastructureError } from '../shared/errors.js';
import { checkRun, mergedEvents } from '../report/history.js';
import { buildRunReport, type RunReport } from '../report/run-report.js';
import type { RunSettings } from './run-options.js';
import { LiveView } from './live-view.js';
import { colourFor, PlainProgress, ProgressLine, type RunDisplay } from './terminal.js';

/**
 * One run from settings to report: a run folder, the supervised processes, the checker. Progress
 * shows on stderr when it is a terminal; Ctrl-C and SIGTERM stop every child before this rejects.
 */
export async function executeRun(
  settings: RunSettings,
  label: string = settings.semantics,
): Promise<RunReport> {
  let cleanupProblems: string[] = [];
  const runId = newRunId();
  const { plainProgress, ...runSettings } = settings;
  // The live view (and its keys) where a person sits at a terminal; plain lines with --no-live.
  const live = !plainProgress && process.stderr.isTTY === true && process.stdin.isTTY === true;
  const plan: RunPlan = {
    ...runSettings,
    runId,
    runDir: createRunFolder(runId),
    ...(live ? { live: true } : {}),
  };
  let display: RunDisplay = plainProgress
    ? new PlainProgress(process.stderr, plan.messages, label)
    : new ProgressLine(process.stderr, plan.messages, label);
  // Before the transport's check: it finds the local cluster --crash-broker needs (or fails
  // fast), and starts again a broker an earlier, killed semlab left dead.
  const brokerCrash = await BrokerCrash.prepare(plan, (note) => display.setNote(note));
  const supervisor = new Supervisor(
    plan,
    {
      onProgress: (p) => display.update(p),
      onWorkerState: (worker, state, detail) => display.workerState(worker, state, detail),
    },
    brokerCrash ? [brokerCrash] : [],
  );
  if (live) {
    display = new LiveView(
      process.stderr,
      process.stdin,
      colourFor(process.stderr),
      `${label} over ${plan.transport} · ${plan.workers} workers · ${plan.messages} messages`,
      plan.messages,
      plan.workers,
      {
        setSwitch: (which, on) => supervisor.setLiveSwitch(which, on),
        crashWorker: (worker) => supervisor.crashWorker(worker),
        quit: () => supervisor.interrupt('q (quit)'),
      },
    );
  }
  // A failed check deletes itself what the checks before it created (topics, keys).
  await prepareRunResources(plan).catch(async (error: unknown) => {
    await brokerCrash?.close();
    throw error;
  });
  const onSignal = (signal: NodeJS.Signals): void => supervisor.interrupt(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let report: RunReport;
  try {
    display.start?.();
    const outcome = await supervisor.run();
    display.clear();
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
    writeFileSync(join(plan.runDir, RUN_FILES.report), JSON.stringify(report, null, 2) + '\n');
  } finally {
    display.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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

/** Writes a run's merged journal to `file` as JSON lines, in time order. */
export async function writeEvents(runDir: string, file: string): Promise<void> {
  const out = createWriteStream(file);
  for await (const event of mergedEvents(runDir)) {
    if (!out.write(JSON.stringify(event) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
