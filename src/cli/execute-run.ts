import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { BrokerCrash } from '../core/broker-crash.js';
import { claimRunFolder, endRunFolder } from '../core/run-folder.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import { prepareRunResources, releaseRunResources } from '../core/run-resources.js';
import { Supervisor } from '../core/supervisor.js';
import { InfrastructureError } from '../shared/errors.js';
import { checkRun, mergedEvents } from '../report/history.js';
import { writeFileAtomic } from '../util/atomic-file.js';
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
  // The folder is marked in progress from its first moment (so no pruning removes it) until the
  // run has ended here, whatever the way; a killed semlab leaves the mark, read as interrupted.
  const { runId, runDir } = claimRunFolder();
  try {
    return await runInFolder(settings, label, runId, runDir);
  } finally {
    endRunFolder(runDir);
  }
}

async function runInFolder(
  settings: RunSettings,
  label: string,
  runId: string,
  runDir: string,
): Promise<RunReport> {
  let cleanupProblems: string[] = [];
  const { plainProgress, ...runSettings } = settings;
  // The live view (and its keys) where a person sits at a terminal; plain lines with --no-live.
  const live = !plainProgress && process.stderr.isTTY === true && process.stdin.isTTY === true;
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
  // Nothing is created in a service that is not there, so a failed check needs no cleanup.
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
    report = buildRunReport(plan, outcome, await checkRun(plan));
    writeFileAtomic(join(plan.runDir, RUN_FILES.report), JSON.stringify(report, null, 2) + '\n');
  } finally {
    display.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Keys and topics go after the check (the redis store's effects are read from Redis), and
    // also after a failed or interrupted run, where a cleanup problem must not hide the error.
    cleanupProblems = await releaseRunResources(plan);
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
