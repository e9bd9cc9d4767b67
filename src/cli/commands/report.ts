import { Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { messages } from '../../i18n/catalog.js';
import { findRun, traceableRun } from '../../report/run-history.js';
import { UsageError } from '../../shared/errors.js';
import { checkHtmlFile, writeReportsHtml } from '../html-file.js';

const HELP = `
Writes one self-contained HTML page about a finished run: the table and
verdict as the terminal shows them, a space-time diagram (one lane per
process, an arrow per message; drops, crashes, restarts, retries and duplicate
effects coloured; zoom to one epoch; hover for the event), every anomaly with
its cause, and a timeline. Every script and style is inside the file: it opens
offline and can be mailed. The page keeps its data as JSON (#semlab-report).
RUN is a run id, a unique prefix of one, or a run folder; the default is the
newest run. The default FILE is report.html in the run's folder. \`semlab run
... --html FILE\` and \`semlab compare ... --html FILE\` write the same page
at the end of the run.

Examples:
  $ semlab run at-least-once --drop-ack 0.2 --seed 7
  $ semlab report --out lesson.html
  $ semlab report 20261129-101502
  $ semlab compare ack-loss --semantics all --html compare.html
`;

export function reportCommand() {
  return new Command('report')
    .description('write an HTML report of a run: table, space-time diagram, anomalies, timeline')
    .argument('[run]', 'run id, prefix or folder (default: the newest run)')
    .option('--out <file>', "where to write it (default: report.html in the run's folder)")
    .addHelpText('after', HELP)
    .action(async (target, options) => {
      const run = traceableRun(findRun(target));
      if (!run.report) {
        throw new UsageError(messages().html.notFinished({ runId: run.runId }));
      }
      const file = options.out ?? join(run.runDir, 'report.html');
      checkHtmlFile('--out', file);
      await writeReportsHtml(file, [{ ...run.report, runDir: run.runDir }]);
      process.stdout.write(`${messages().html.written({ file })}\n`);
    });
}
