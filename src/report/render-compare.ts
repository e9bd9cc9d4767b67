import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { messages, type Catalog } from '../i18n/catalog.js';
import { describeFaultIn, renderViolations, verdictReason } from './render-table.js';
import type { RunReport } from './run-report.js';

/** No box, one space between columns: the widest row still fits 80 columns. */
const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' ',
};

type ComparedReport = RunReport & { expectations?: { met: boolean }[] };

/**
 * Several runs side by side under the same seed and faults: a row per semantics (and transport),
 * the counts as columns. Short headers keep it within a projector's width.
 */
export function renderComparison(
  reports: readonly ComparedReport[],
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const first = reports[0];
  if (!first) return m.noRuns;
  const showTransport = new Set(reports.map((r) => r.transport)).size > 1;
  const showExpect = reports.some((r) => r.expectations && r.expectations.length > 0);
  const c = m.compareColumns;
  // Each column with its alignment: the names are the language's, the alignment is the data's.
  const columns: [string, 'left' | 'right'][] = [
    [c.semantics, 'left'],
    ...(showTransport ? [[c.transport, 'left'] as [string, 'left']] : []),
    [c.sent, 'right'],
    [c.retries, 'right'],
    [c.delivered, 'right'],
    [c.executed, 'right'],
    [c.duplicates, 'right'],
    [c.acked, 'right'],
    [c.lost, 'right'],
    [c.verdict, 'left'],
    ...(showExpect ? [[c.expect, 'left'] as [string, 'left']] : []),
  ];
  const table = new Table({
    head: columns.map(([name]) => colour.bold(name)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 1 },
    colAligns: columns.map(([, align]) => align),
  });
  for (const r of reports) {
    const expectCell = !r.expectations?.length
      ? ''
      : r.expectations.every((e) => e.met)
        ? colour.green(m.metCell)
        : colour.red(m.missedCell);
    table.push([
      r.semantics,
      ...(showTransport ? [r.transport] : []),
      String(r.sent),
      String(r.retries),
      String(r.delivered),
      String(r.executed),
      r.duplicateExecutions > 0 ? colour.yellow(String(r.duplicateExecutions)) : '0',
      String(r.acked),
      r.lost > 0 ? colour.red(String(r.lost)) : '0',
      r.verdict.held === null
        ? colour.yellow(m.noVerdictCell)
        : r.verdict.held
          ? colour.green(m.heldCell)
          : colour.red(m.brokenCell),
      ...(showExpect ? [expectCell] : []),
    ]);
  }
  return [
    colour.dim(m.compareHeader(first)),
    colour.dim(m.faults(first.faults.map((f) => describeFaultIn(f, m)))),
    table.toString(),
    ...reports.flatMap((r) => [
      colour.dim(`  ${r.semantics}: ${verdictReason(r, m)}`),
      ...renderViolations(r, colour, m).map((line) => `  ${line}`),
    ]),
  ].join('\n');
}
