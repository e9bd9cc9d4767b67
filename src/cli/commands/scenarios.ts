import { Command } from '@commander-js/extra-typings';
import { messages } from '../../i18n/catalog.js';
import { lessonText } from '../../report/render-scenario.js';
import { courseLessons, servicesOf } from '../../scenario/course.js';
import { colourFor } from '../terminal.js';

export function scenariosCommand() {
  return new Command('scenarios')
    .description('list the bundled lessons in the order of the course, and the server each needs')
    .option('--json', 'print the scenarios as a JSON array')
    .addHelpText(
      'after',
      '\nExamples:\n  $ semlab scenarios\n  $ semlab run ack-loss\n  $ semlab compare ack-loss --semantics all',
    )
    .action(async (options) => {
      // In the order of the course (src/scenario/course.ts), as `semlab class` teaches them.
      const scenarios = await courseLessons();
      if (options.json) {
        process.stdout.write(JSON.stringify(scenarios) + '\n');
        return;
      }
      const colour = colourFor(process.stdout);
      const width = Math.max(...scenarios.map((s) => s.name.length), 4);
      for (const s of scenarios) {
        const needs = servicesOf(s);
        const semantics =
          [s.semantics].flat().join(', ') +
          (needs.length > 0 ? ` · ${messages().classMode.needs(needs.join(', '))}` : '');
        process.stdout.write(
          `${colour.bold(s.name.padEnd(width))}  ${lessonText(s).title}\n${' '.repeat(width + 2)}${colour.dim(semantics)}\n`,
        );
      }
    });
}
