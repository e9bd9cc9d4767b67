import type { ChalkInstance } from 'chalk';
import { messages, type Catalog } from '../i18n/catalog.js';
import type { KeptRun } from './run-history.js';
import { describeKafka } from './render-table.js';
import type { EpochStory } from './trace.js';

/**
 * `semlab trace` for a person: one paragraph per epoch, its outcome (and, for an anomaly, its
 * cause in one line) on top, then its steps.
 */
export function renderTrace(
  run: KeptRun,
  stories: readonly EpochStory[],
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const { plan } = run;
  const lines = [colour.bold(m.traceRun(run.runId)) + m.traceHeader(plan)];
  if (run.report?.kafka) lines.push(colour.dim(describeKafka(run.report.kafka, m)));
  for (const story of stories) {
    const label =
      story.outcome === 'lost'
        ? colour.red(m.lostLabel)
        : story.outcome === 'duplicate'
          ? colour.yellow(m.executedTimes(story.executions))
          : colour.green(m.okLabel);
    lines.push('');
    lines.push(
      `${colour.bold(m.epoch(story.epoch))}  ${label}${story.cause ? `  ${story.cause.text}` : ''}`,
    );
    lines.push(colour.dim(`  ${story.steps.length > 0 ? story.steps.join(' → ') : m.neverSent}`));
  }
  const lost = stories.filter((s) => s.outcome === 'lost').length;
  const twice = stories.filter((s) => s.outcome === 'duplicate').length;
  lines.push('');
  lines.push(m.traceSummary({ shown: stories.length, lost, twice }));
  return lines.join('\n') + '\n';
}

/** `semlab runs`: one line per kept run. */
export function renderRuns(
  runs: readonly KeptRun[],
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  if (runs.length === 0) return `${m.noRunsYet}\n`;
  return (
    runs
      .map((run) => {
        const { plan, report } = run;
        const what = m.runsWhat(plan);
        const result = report
          ? `${m.runsCounts({ lost: report.lost, twice: report.duplicateExecutions })}, ${
              report.verdict.held === null
                ? colour.yellow(m.noVerdictWord)
                : report.verdict.held
                  ? colour.green(m.heldWord)
                  : colour.red(m.brokenWord)
            }${report.status === 'completed' ? '' : ` (${m.status[report.status]})`}`
          : colour.dim(m.noReport);
        return `${colour.bold(run.runId)}  ${what}  ${result}`;
      })
      .join('\n') + '\n'
  );
}
