import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { describeFault } from '../faults/spec.js';
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
): string {
  const first = reports[0];
  if (!first) return 'no runs';
  const showTransport = new Set(reports.map((r) => r.transport)).size > 1;
  const showExpect = reports.some((r) => r.expectations && r.expectations.length > 0);
  const head = [
    'semantics',
    ...(showTransport ? ['transport'] : []),
    'sent',
    'retries',
    'deliv',
    'exec',
    'dup',
    'acked',
    'lost',
    'verdict',
    ...(showExpect ? ['expect'] : []),
  ];
  const table = new Table({
    head: head.map((h) => colour.bold(h)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 1 },
    colAligns: head.map((h) =>
      h === 'semantics' || h === 'transport' || h === 'verdict' || h === 'expect'
        ? 'left'
        : 'right',
    ),
  });
  for (const r of reports) {
    const expectCell = !r.expectations?.length
      ? ''
      : r.expectations.every((e) => e.met)
        ? colour.green('met')
        : colour.red('MISSED');
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
      r.verdict.held ? colour.green('held') : colour.red('BROKEN'),
      ...(showExpect ? [expectCell] : []),
    ]);
  }
  const faults = first.faults.map((f) => describeFault(f)).join('; ') || 'none';
  return [
    colour.dim(
      `${first.workers} workers · ${first.messages} messages · seed ${first.seed} · store ${first.store} · timeout ${first.timeoutMs} ms`,
    ),
    colour.dim(`faults: ${faults}`),
    table.toString(),
    ...reports.map((r) => colour.dim(`  ${r.semantics}: ${r.verdict.reason}`)),
  ].join('\n');
}
