import { Command } from '@commander-js/extra-typings';
import { localized } from '../../i18n/catalog.js';
import { UsageError } from '../../shared/errors.js';
import { isSemanticsName, PRESETS, SEMANTICS_NAMES } from '../../core/semantics.js';
import { CRASH_POINTS } from '../../faults/spec.js';
import { renderExpectations, renderScenarioHeader } from '../../report/render-scenario.js';
import { renderRunReport } from '../../report/render-table.js';
import { bundledScenarioNames, looksLikeScenario } from '../../scenario/names.js';
import { closestMatch } from '../../util/suggest.js';
import { executeRun, writeEvents } from '../execute-run.js';
import { checkEventsFile } from '../events-file.js';
import { checkHtmlFile, writeHtml } from '../html-file.js';
import { addRunFlags, type RunCommandFlags } from '../run-flags.js';
import { parseRunFlags, replaySettings } from '../run-options.js';
import { replayActions } from '../../report/replay.js';
import { findRun, traceableRun } from '../../report/run-history.js';
import {
  executeAll,
  failIfInconsistent,
  failIfMissed,
  failIfStalled,
  planScenarioRuns,
  randomSeed,
} from '../scenario-runs.js';
import { colourFor } from '../terminal.js';
import { replicaStripAfter } from '../replica-strip.js';

const HELP = `
<target> is a semantics preset, a bundled scenario (semlab scenarios lists them), or a
scenario file (.yaml). Flags given on the command line override the scenario's fields; any
fault flag replaces the scenario's whole list of faults.

Semantics:
${SEMANTICS_NAMES.map((name) => `  ${name.padEnd(24)}${PRESETS[name].summary}`).join('\n')}

Crash points (--crash POINT@K: the worker handling the first delivery of every K-th epoch dies there):
  ${CRASH_POINTS.join(', ')}

Examples:
  $ semlab run at-least-once
  $ semlab run exactly-once --workers 4 --messages 500 --drop-ack 0.2 --seed 7
  $ semlab run at-most-once --drop-work 0.1 --json
  $ semlab run exactly-once --crash after-execute@10 --store memory
  $ semlab run ack-loss --seed 9 --workers 5
  $ semlab run ./my-lesson.yaml --events trace.jsonl
  $ semlab run --replay 20261206-0415      # the same run again, live keys included
`;

export function runCommand() {
  const command = new Command('run')
    .description(
      'run a semantics preset or a scenario as real processes over a real transport, and count what happened',
    )
    .argument('[target]', 'a semantics preset, a bundled scenario name, or a scenario file')
    .option(
      '--replay <run>',
      'run a recorded virtual-clock run again (id or unique prefix): same plan, same live keys, same table',
    );
  return addRunFlags(command)
    .addHelpText('after', HELP)
    .action(async (target, _options, self) => {
      const flags = self.opts() as RunCommandFlags & { replay?: string };
      if (flags.events) checkEventsFile(flags.events);
      if (flags.html) checkHtmlFile('--html', flags.html);
      if (flags.replay !== undefined) return replay(flags.replay, flags);
      if (target === undefined) throw new UsageError(localized('missingTarget', {}));
      if (isSemanticsName(target)) return runSemantics(target, flags);
      if (looksLikeScenario(target)) return runScenario(target, flags);
      const scenarios = bundledScenarioNames();
      throw new UsageError(
        localized('unknownTarget', {
          target,
          suggestion: closestMatch(target, [...SEMANTICS_NAMES, ...scenarios]),
          semantics: SEMANTICS_NAMES,
          scenarios,
        }),
      );
    });
}

/** `--replay RUN`: the recorded run's settings and live actions, run again. */
async function replay(runTarget: string, flags: RunCommandFlags): Promise<void> {
  const { plan } = traceableRun(findRun(runTarget));
  const settings = replaySettings(plan, await replayActions(plan));
  const report = await executeRun(settings);
  await writeHtml(flags, [report]);
  if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(renderRunReport(report, colourFor(process.stdout)) + '\n');
  failIfStalled([report]);
}

async function runSemantics(semantics: string, flags: RunCommandFlags): Promise<void> {
  const settings = parseRunFlags(semantics, flags, randomSeed);
  const report = await executeRun(settings);
  if (flags.events) await writeEvents(report.runDir, flags.events);
  await writeHtml(flags, [report]);
  if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    process.stdout.write(renderRunReport(report, colourFor(process.stdout)) + '\n');
    process.stdout.write(replicaStripAfter(report, colourFor(process.stdout)));
  }
  failIfInconsistent([report]);
  failIfStalled([report]);
}

async function runScenario(target: string, flags: RunCommandFlags): Promise<void> {
  // The YAML parser and the schema load only for a scenario (see ../../scenario/names.ts).
  const { loadScenario } = await import('../../scenario/load.js');
  const { scenario } = loadScenario(target);
  const runs = planScenarioRuns(scenario, flags);
  const colour = colourFor(process.stdout);
  if (!flags.json) process.stdout.write(renderScenarioHeader(scenario, colour) + '\n\n');
  const reports = await executeAll(runs, scenario);
  if (flags.events) {
    for (const [i, report] of reports.entries()) {
      await writeEvents(
        report.runDir,
        reports.length > 1 ? `${flags.events}.${i + 1}` : flags.events,
      );
    }
  }
  await writeHtml(flags, reports);
  if (flags.json) {
    process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports) + '\n');
  } else {
    for (const report of reports) {
      process.stdout.write(renderRunReport(report, colour) + '\n');
      process.stdout.write(replicaStripAfter(report, colour));
      if (report.expectations?.length)
        process.stdout.write(renderExpectations(report.expectations, colour) + '\n');
      process.stdout.write('\n');
    }
  }
  failIfInconsistent(reports);
  failIfStalled(reports);
  failIfMissed(reports);
}
