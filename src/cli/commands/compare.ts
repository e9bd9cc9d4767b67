import { Command, Option } from '@commander-js/extra-typings';
import { SEMANTICS_NAMES } from '../../core/semantics.js';
import { renderComparison } from '../../report/render-compare.js';
import { renderScenarioHeader } from '../../report/render-scenario.js';
import type { Scenario } from '../../scenario/schema.js';
import { writeEvents } from '../execute-run.js';
import { checkEventsFile } from '../events-file.js';
import { checkHtmlFile, writeHtml } from '../html-file.js';
import { addRunFlags, type RunCommandFlags } from '../run-flags.js';
import {
  adHocScenario,
  executeAll,
  failIfInconsistent,
  failIfMissed,
  failIfStalled,
  parseSemanticsList,
  planScenarioRuns,
} from '../scenario-runs.js';
import { colourFor } from '../terminal.js';

const HELP = `
Runs each semantics (and transport) under the same seed and the same faults, one after another,
and prints one table: a row per run. With a scenario, its settings and faults apply (flags
override them) and its expect blocks are checked; without one, the defaults and your flags.

Examples:
  $ semlab compare --drop-ack 0.2 --seed 7
  $ semlab compare ack-loss --semantics all
  $ semlab compare dedupe-hole --semantics exactly-once,exactly-once-atomic --json
`;

export function compareCommand() {
  const command = new Command('compare')
    .description('the same seeded faults, several semantics side by side, in one table')
    .argument('[scenario]', 'a bundled scenario name or a scenario file (default: none)')
    .addOption(
      new Option(
        '--semantics <list>',
        `comma-separated presets, or all (default: the scenario's, else all)`,
      ),
    );
  return addRunFlags(command)
    .addHelpText('after', HELP)
    .action(async (target, _options, self) => {
      const flags = self.opts() as RunCommandFlags & { semantics?: string };
      if (flags.events) checkEventsFile(flags.events);
      if (flags.html) checkHtmlFile('--html', flags.html);
      const scenario: Scenario = target
        ? (await import('../../scenario/load.js')).loadScenario(target).scenario
        : adHocScenario('compare', [...SEMANTICS_NAMES]);
      const semantics = flags.semantics
        ? parseSemanticsList(flags.semantics)
        : [scenario.semantics].flat();
      const runs = planScenarioRuns(scenario, flags, semantics);
      const colour = colourFor(process.stdout);
      if (target && !flags.json)
        process.stdout.write(renderScenarioHeader(scenario, colour) + '\n\n');
      const reports = await executeAll(runs, target ? scenario : undefined);
      if (flags.events) {
        for (const [i, report] of reports.entries())
          await writeEvents(report.runDir, `${flags.events}.${i + 1}`);
      }
      await writeHtml(flags, reports);
      if (flags.json) process.stdout.write(JSON.stringify(reports) + '\n');
      else process.stdout.write(renderComparison(reports, colour) + '\n');
      failIfInconsistent(reports);
      failIfStalled(reports);
      failIfMissed(reports);
    });
}
