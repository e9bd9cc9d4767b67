import { Command, Option } from '@commander-js/extra-typings';
import { randomInt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { InfrastructureError } from '../../core/errors.js';
import { createRunFolder, newRunId } from '../../core/run-folder.js';
import type { RunPlan } from '../../core/run-plan.js';
import { PRESETS, SEMANTICS_NAMES } from '../../core/semantics.js';
import { Supervisor } from '../../core/supervisor.js';
import { CRASH_POINTS } from '../../faults/spec.js';
import { checkRun, mergedEvents } from '../../report/history.js';
import { renderRunReport } from '../../report/render-table.js';
import { buildRunReport, type RunReport } from '../../report/run-report.js';
import { STORE_NAMES } from '../../stores/registry.js';
import { TRANSPORT_NAMES } from '../../transports/registry.js';
import { parseRunFlags, RUN_DEFAULTS, type RunSettings } from '../run-options.js';
import { colourFor, ProgressLine } from '../terminal.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../../core/run-plan.js';

const EXAMPLES = `
Semantics:
${SEMANTICS_NAMES.map((name) => `  ${name.padEnd(24)}${PRESETS[name].summary}`).join('\n')}

Crash points (--crash POINT@K: the worker handling the first send of every K-th epoch dies there):
  ${CRASH_POINTS.join(', ')}

Examples:
  $ semlab run at-least-once
  $ semlab run exactly-once --workers 4 --messages 500 --drop-ack 0.2 --seed 7
  $ semlab run at-most-once --drop-work 0.1 --json
  $ semlab run exactly-once --crash after-execute@10 --store memory
  $ semlab run at-least-once --delay-ack 500@0.1 --timeout 200 --events run.jsonl
`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function runCommand() {
  return new Command('run')
    .description(
      'run one semantics preset as real processes over a real transport, and count what happened',
    )
    .argument('<semantics>', `one of: ${SEMANTICS_NAMES.join(', ')}`)
    .option(
      '-t, --transport <name>',
      `transport: ${TRANSPORT_NAMES.join(', ')} (redis and kafka: planned)`,
      RUN_DEFAULTS.transport,
    )
    .option('-w, --workers <n>', 'worker processes', RUN_DEFAULTS.workers)
    .option('-m, --messages <m>', 'messages (epochs 1..M) to deliver', RUN_DEFAULTS.messages)
    .option('--seed <s>', 'seed for every fault decision (default: random, printed)')
    .option(
      '--timeout <ms>',
      'ack timeout before the dispatcher retries (or gives up)',
      RUN_DEFAULTS.timeout,
    )
    .option('--window <n>', 'most messages in flight at once', RUN_DEFAULTS.window)
    .option('--store <name>', `dedupe store: ${STORE_NAMES.join(', ')}`, RUN_DEFAULTS.store)
    .option(
      '--restart-delay <ms>',
      'delay before a dead worker is restarted',
      RUN_DEFAULTS.restartDelay,
    )
    .option('--drop-work <p>', 'drop this fraction of work messages (0..1)')
    .option('--drop-ack <p>', 'drop this fraction of acks (0..1)')
    .option('--delay-work <ms[@p]>', 'hold back a fraction p (default 1) of work messages by ms')
    .option('--delay-ack <ms[@p]>', 'hold back a fraction p (default 1) of acks by ms')
    .option(
      '--crash <point@k>',
      'kill the worker at POINT on every K-th epoch (repeatable)',
      collect,
    )
    .option('--json', 'print one JSON object (the report) on stdout, nothing else')
    .addOption(
      new Option('--events <file>', 'write the merged journal of the run to FILE as JSON lines'),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (semantics, flags) => {
      const settings = parseRunFlags(semantics, flags, () => randomInt(1, 100_000));
      const report = await executeRun(settings, { json: flags.json === true });
      if (flags.events) await writeEvents(report.runDir, flags.events);
      if (flags.json) {
        process.stdout.write(JSON.stringify(report) + '\n');
      } else {
        process.stdout.write(renderRunReport(report, colourFor(process.stdout)) + '\n');
      }
      if (report.status === 'stalled') {
        throw new InfrastructureError(
          `the run stalled: ${report.diagnosis ?? 'no diagnosis'}; journals kept in ${report.runDir}`,
        );
      }
    });
}

/** Runs the plan under a supervisor, with progress on a terminal and Ctrl-C wired to a clean stop. */
export async function executeRun(
  settings: RunSettings,
  options: { json: boolean },
): Promise<RunReport> {
  const runId = newRunId();
  const plan: RunPlan = {
    ...settings,
    runId,
    runDir: createRunFolder(runId),
    transportOptions: {},
  };
  const progress = new ProgressLine(process.stderr, plan.messages, plan.semantics);
  const supervisor = new Supervisor(plan, {
    onProgress: (p) => progress.update(p),
    onWorkerState: (worker, state, detail) => {
      if (state === 'crashed') progress.setNote(`${worker} died${detail ? ` (${detail})` : ''}`);
    },
  });
  const onSignal = (signal: NodeJS.Signals): void => supervisor.interrupt(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await supervisor.run();
    progress.clear();
    const counts = await checkRun(plan);
    const report = buildRunReport(plan, outcome, counts);
    writeFileSync(join(plan.runDir, RUN_FILES.report), JSON.stringify(report, null, 2) + '\n');
    void options;
    return report;
  } finally {
    progress.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function writeEvents(runDir: string, file: string): Promise<void> {
  const out = createWriteStream(file);
  for await (const event of mergedEvents(runDir)) {
    if (!out.write(JSON.stringify(event) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
