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
      `\nRuns are kept in ${runsRoot()} ($SEMLAB_HOME/runs when set); the newest 20\n(SEMLAB_KEEP_RUNS) stay, and a run in progress always stays. A run shows as in progress\nwhile its semlab runs, interrupted when that semlab was killed; a damaged run folder gets one\nline and the others are listed as usual.\n\nExamples:\n  $ semlab runs\n  $ semlab trace --anomalies`,
    )
    .action((options) => {
      const runs = keptRuns();
      process.stdout.write(
        options.json
          ? JSON.stringify(
              runs.map((run) =>
                run.kind === 'damaged'
                  ? {
                      runId: run.runId,
                      runDir: run.runDir,
                      state: 'damaged',
                      damaged: { file: run.file, damage: run.damage },
                      report: null,
                    }
                  : {
                      runId: run.runId,
                      runDir: run.runDir,
                      state: run.state,
                      report: run.report ?? null,
                    },
              ),
            ) + '\n'
          : renderRuns(runs, colourFor(process.stdout)),
      );
    });
}
