import { Command } from '@commander-js/extra-typings';
import { renderTrace } from '../../report/render-trace.js';
import { findRun, traceableRun, traceRun } from '../../report/run-history.js';
import { localized, messages } from '../../i18n/catalog.js';
import { UsageError } from '../../shared/errors.js';
import { diagramCharset } from '../charset.js';
import { colourFor } from '../terminal.js';

/** How many anomalous epochs `--anomalies --diagram` draws: a screenful or two. */
const DIAGRAMS_SHOWN = 3;

const HELP = `
Tells the life of each message of a kept run from its journals: every send, drop, receipt,
execution, crash, ack and timeout, in time order. A lost or twice-executed epoch gets its cause in
one line. RUN is a run id, a unique prefix of one, or a run folder; the default is the newest run.

--epoch N draws that epoch's life as a sequence diagram: a lane for the dispatcher, for each
worker incarnation that touched it (w2.1: worker w2, restarted once) and for the dedupe store;
arrows for work and acks, a cross for a drop, marks for effects, crashes, restarts and timeouts,
times in ms (virtual ms on the virtual clock). --anomalies --diagram draws the first ${DIAGRAMS_SHOWN}
anomalous epochs the same way. Plain ASCII when the locale is not UTF-8, or with NO_COLOR.

A run still in progress is traced as it stands, read-only: the epochs its journals hold so far,
marked partial (the JSON has "state" and "partial"). A run whose semlab was killed is traced the
same way, marked interrupted. A damaged run folder is named in one line (exit 3).

Examples:
  $ semlab run at-least-once --drop-ack 0.2 --seed 7
  $ semlab trace --anomalies
  $ semlab trace --epoch 17
  $ semlab trace --anomalies --diagram --lang pt-BR
  $ semlab trace 20261129-101502 --json
`;

export function traceCommand() {
  return new Command('trace')
    .description('the life of each message of a run, and the cause of every anomaly')
    .argument('[run]', 'run id, prefix or folder (default: the newest run)')
    .option('--epoch <n>', 'only this epoch')
    .option('--anomalies', 'only the lost and the twice-executed epochs')
    .option('--diagram', 'with --anomalies: draw the first few as sequence diagrams')
    .option('--json', 'print the stories as a JSON array')
    .addHelpText('after', HELP)
    .action(async (target, options) => {
      // Digits only: Number() would also take 0x10 and 1e3.
      const epoch = options.epoch === undefined ? undefined : Number(options.epoch);
      if (
        epoch !== undefined &&
        !(/^\s*\d+\s*$/.test(options.epoch ?? '') && Number.isSafeInteger(epoch))
      ) {
        throw new UsageError(localized('epochNotWhole', { text: options.epoch ?? '' }));
      }
      const run = traceableRun(findRun(target));
      let trace = await traceRun(run, epoch);
      if (options.anomalies) {
        trace = { ...trace, stories: trace.stories.filter((story) => story.outcome !== 'ok') };
      }
      process.stdout.write(
        options.json
          ? JSON.stringify({
              runId: run.runId,
              state: run.state,
              partial: trace.partial,
              effects: trace.effects ?? null,
              stories: trace.stories,
            }) + '\n'
          : renderTrace(
              run,
              trace,
              colourFor(process.stdout),
              messages(),
              // One epoch is always drawn; anomalies on request, the first few of them.
              epoch !== undefined || options.diagram
                ? { ...diagramCharset(), most: epoch !== undefined ? 1 : DIAGRAMS_SHOWN }
                : undefined,
            ),
      );
    });
}
