import { Command } from '@commander-js/extra-typings';
import { lessonText } from '../../report/render-scenario.js';
import { bundledScenarioNames } from '../../scenario/names.js';
import { colourFor } from '../terminal.js';

export function scenariosCommand() {
  return new Command('scenarios')
    .description('list the bundled lessons, one line each')
    .option('--json', 'print the scenarios as a JSON array')
    .addHelpText(
      'after',
      '\nExamples:\n  $ semlab scenarios\n  $ semlab run ack-loss\n  $ semlab compare ack-loss --semantics all',
    )
    .action(async (options) => {
      const { loadScenario } = await import('../../scenario/load.js');
      const scenarios = bundledScenarioNames().map((name) => loadScenario(name).scenario);
      if (options.json) {
        process.stdout.write(JSON.stringify(scenarios) + '\n');
        return;
      }
      const colour = colourFor(process.stdout);
      const width = Math.max(...scenarios.map((s) => s.name.length), 4);
      for (const s of scenarios) {
        const semantics = [s.semantics].flat().join(', ');
        process.stdout.write(
          `${colour.bold(s.name.padEnd(width))}  ${lessonText(s).title}\n${' '.repeat(width + 2)}${colour.dim(semantics)}\n`,
        );
      }
    });
}
