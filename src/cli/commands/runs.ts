import { Command } from '@commander-js/extra-typings';
import { runsRoot } from '../../core/run-folder.js';
import { renderRuns } from '../../report/render-trace.js';
import { keptRuns } from '../../report/run-history.js';
import { colourFor } from '../terminal.js';

export function runsCommand() {
  return new Command('runs')
    .description('list the kept runs, newest first (semlab trace explains one)')
    .option('--json', 'print the runs as a JSON array of their reports')
    .addHelpText(
      'after',
      `\nRuns are kept in ${runsRoot()} ($SEMLAB_HOME/runs when set); the newest 20\n(SEMLAB_KEEP_RUNS) stay.\n\nExamples:\n  $ semlab runs\n  $ semlab trace --anomalies`,
    )
    .action((options) => {
      const runs = keptRuns();
      process.stdout.write(
        options.json
          ? JSON.stringify(
              runs.map((run) => ({
                runId: run.runId,
                runDir: run.runDir,
                report: run.report ?? null,
              })),
            ) + '\n'
          : renderRuns(runs, colourFor(process.stdout)),
      );
    });
}
