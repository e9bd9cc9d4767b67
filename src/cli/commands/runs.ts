import { Command } from '@commander-js/extra-typings';
import { DEFAULT_KEEP_RUNS, runsRoot } from '../../core/run-folder.js';
import { renderRuns } from '../../report/render-trace.js';
import { keptRuns, type RunEntry } from '../../report/run-history.js';
import { colourFor } from '../terminal.js';

export function runsCommand() {
  return new Command('runs')
    .description('list the kept runs, newest first (semlab trace explains one)')
    .option('--json', 'print the runs as a JSON array of their reports')
    .addHelpText(
      'after',
      `\nRuns are kept in ${runsRoot()} ($SEMLAB_HOME/runs when set); the newest ${DEFAULT_KEEP_RUNS}\n(SEMLAB_KEEP_RUNS) stay, and a run in progress always stays. A run shows as in progress\nwhile its semlab runs, interrupted when that semlab was killed; a damaged run folder gets one\nline and the others are listed as usual.\n\nExamples:\n  $ semlab runs\n  $ semlab trace --anomalies`,
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
          : runs.length === 0
            ? renderRuns(runs, colourFor(process.stdout))
            : runs.map((run) => withLesson(run, colourFor(process.stdout))).join(''),
      );
    });
}

/** A run's line, with the lesson it was a run of (recorded in its report by a scenario run). */
function withLesson(run: RunEntry, colour: ReturnType<typeof colourFor>): string {
  const line = renderRuns([run], colour).trimEnd();
  const lesson =
    run.kind !== 'damaged'
      ? (run.report as { scenario?: string } | undefined)?.scenario
      : undefined;
  return `${line}${lesson ? `  ${colour.dim(`[${lesson}]`)}` : ''}\n`;
}
