import type { ChalkInstance } from 'chalk';
import type { RunPlan } from '../core/run-plan.js';
import { messages, renderText, type Catalog } from '../i18n/catalog.js';
import type { KeptRun, RunEntry, RunTrace } from './run-history.js';
import { describeKafka } from './render-table.js';
import { epochLife } from './epoch-life.js';
import { renderSequenceDiagram, toAscii } from './sequence-diagram.js';

/**
 * `semlab trace` for a person: one paragraph per epoch, its outcome (and, for an anomaly, its
 * cause in one line) on top, then its steps.
 */
export function renderTrace(
  run: KeptRun & { plan: RunPlan },
  trace: RunTrace,
  colour: ChalkInstance,
  m: Catalog = messages(),
  /**
   * Draw the epochs as sequence diagrams instead of telling their steps in a line: `ascii`
   * glyphs; `transliterate`: everything in ASCII (a terminal that is not UTF-8).
   */
  diagram?: { readonly ascii: boolean; readonly transliterate: boolean; readonly most: number },
): string {
  const { plan } = run;
  const { stories } = trace;
  const lines = [colour.bold(m.traceRun(run.runId)) + m.traceHeader(plan)];
  if (run.state === 'in-progress') lines.push(colour.yellow(m.traceInProgress));
  if (run.state === 'interrupted') lines.push(colour.yellow(m.traceInterrupted));
  for (const note of trace.notes) lines.push(colour.dim(renderText(note, m)));
  if (run.report?.kafka) lines.push(colour.dim(describeKafka(run.report.kafka, m)));
  if (diagram) return renderDiagrams(lines, run, trace, diagram, colour, m);
  for (const story of stories) {
    const label =
      story.outcome === 'lost'
        ? colour.red(m.lostLabel)
        : story.outcome === 'duplicate'
          ? colour.yellow(m.executedTimes(story.executions))
          : colour.green(m.okLabel);
    lines.push('');
    lines.push(
      `${colour.bold(m.epoch(story.epoch))}  ${label}${story.cause ? `  ${m.trace.cause(story.cause)}` : ''}`,
    );
    const steps = story.timeline.map((step) => m.trace.step(step));
    lines.push(colour.dim(`  ${steps.length > 0 ? steps.join(' → ') : m.neverSent}`));
  }
  const lost = stories.filter((s) => s.outcome === 'lost').length;
  const twice = stories.filter((s) => s.outcome === 'duplicate').length;
  lines.push('');
  lines.push(
    m.traceSummary({ shown: stories.length, lost, twice }) + (trace.partial ? m.tracePartial : ''),
  );
  return lines.join('\n') + '\n';
}

/**
 * The first `most` of the trace's epochs as sequence diagrams (epoch-life.ts, drawn by
 * sequence-diagram.ts), after the header lines, and a line saying how many were left out.
 */
function renderDiagrams(
  lines: string[],
  run: KeptRun & { plan: RunPlan },
  trace: RunTrace,
  diagram: { readonly ascii: boolean; readonly transliterate: boolean; readonly most: number },
  colour: ChalkInstance,
  m: Catalog,
): string {
  // The header too fits the diagram's 80 columns: it breaks between its parts.
  const [first = '', ...rest] = lines;
  lines = [...fitParts(first, ' · ', 80), ...rest];
  const drawn = trace.stories.slice(0, diagram.most);
  for (const story of drawn) {
    lines.push('');
    const life = epochLife(story, run.plan, trace.workerStarts);
    lines.push(...renderSequenceDiagram(life, { ascii: diagram.ascii, colour, m }));
  }
  lines.push('');
  if (trace.stories.length > drawn.length) {
    lines.push(m.trace.moreAnomalies({ drawn: drawn.length, total: trace.stories.length }));
  }
  const lost = trace.stories.filter((s) => s.outcome === 'lost').length;
  const twice = trace.stories.filter((s) => s.outcome === 'duplicate').length;
  lines.push(
    m.traceSummary({ shown: trace.stories.length, lost, twice }) +
      (trace.partial ? m.tracePartial : ''),
  );
  const out = lines.join('\n') + '\n';
  return diagram.transliterate ? toAscii(out) : out;
}

/** A line of parts joined by `sep`, broken between parts into lines of at most `width`. */
function fitParts(line: string, sep: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of line.split(sep)) {
    const candidate = current === '' ? part : current + sep + part;
    if (visibleLength(candidate) <= width || current === '') current = candidate;
    else {
      out.push(current);
      current = '  ' + part;
    }
  }
  out.push(current);
  return out;
}

/** Length without colour codes. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- colour codes are what is left out
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** `semlab runs`: one line per kept run, and one per damaged run folder. */
export function renderRuns(
  runs: readonly RunEntry[],
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  if (runs.length === 0) return `${m.noRunsYet}\n`;
  return runs.map((run) => renderRunLine(run, colour, m)).join('\n') + '\n';
}

function renderRunLine(run: RunEntry, colour: ChalkInstance, m: Catalog): string {
  if (run.kind === 'damaged') {
    return `${colour.bold(run.runId)}  ${colour.red(m.runDamagedLine(run))}`;
  }
  const { plan, report } = run;
  if (!plan) return `${colour.bold(run.runId)}  ${colour.yellow(m.runStartingWord)}`;
  const what = m.runsWhat(plan);
  const result =
    run.state === 'in-progress'
      ? colour.yellow(m.runInProgress)
      : report
        ? `${m.runsCounts({ lost: report.lost, twice: report.duplicateExecutions })}, ${
            report.verdict.held === null
              ? colour.yellow(m.noVerdictWord)
              : report.verdict.held
                ? colour.green(m.heldWord)
                : colour.red(m.brokenWord)
          }${report.status === 'completed' ? '' : ` (${m.status[report.status]})`}`
        : run.state === 'interrupted'
          ? colour.yellow(m.runInterrupted)
          : colour.dim(m.noReport);
  return `${colour.bold(run.runId)}  ${what}  ${result}`;
}
