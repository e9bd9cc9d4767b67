import type { ChalkInstance } from 'chalk';
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
): string {
  const { plan } = run;
  const lines = [
    colour.bold(`run ${run.runId}`) +
      ` · ${plan.semantics} over ${plan.transport} · ${plan.workers} workers · ${plan.messages} messages · seed ${plan.seed}`,
  ];
  if (run.report?.kafka) lines.push(colour.dim(describeKafka(run.report.kafka)));
  for (const story of stories) {
    const label =
      story.outcome === 'lost'
        ? colour.red('LOST')
        : story.outcome === 'duplicate'
          ? colour.yellow(`EXECUTED ${story.executions}×`)
          : colour.green('ok');
    lines.push('');
    lines.push(
      `${colour.bold(`epoch ${story.epoch}`)}  ${label}${story.cause ? `  ${story.cause.text}` : ''}`,
    );
    lines.push(colour.dim(`  ${story.steps.length > 0 ? story.steps.join(' → ') : 'never sent'}`));
  }
  const lost = stories.filter((s) => s.outcome === 'lost').length;
  const twice = stories.filter((s) => s.outcome === 'duplicate').length;
  lines.push('');
  lines.push(`${stories.length} epochs shown: ${lost} lost, ${twice} executed more than once`);
  return lines.join('\n') + '\n';
}

/** `semlab runs`: one line per kept run. */
export function renderRuns(runs: readonly KeptRun[], colour: ChalkInstance): string {
  if (runs.length === 0) return 'no runs yet; start one with `semlab run at-least-once`\n';
  return (
    runs
      .map((run) => {
        const { plan, report } = run;
        const what = `${plan.semantics} over ${plan.transport}, ${plan.messages} messages`;
        const result = report
          ? `${report.lost} lost, ${report.duplicateExecutions} twice, ${
              report.verdict.held ? colour.green('held') : colour.red('broken')
            }${report.status === 'completed' ? '' : ` (${report.status})`}`
          : colour.dim('no report (interrupted or failed)');
        return `${colour.bold(run.runId)}  ${what}  ${result}`;
      })
      .join('\n') + '\n'
  );
}
