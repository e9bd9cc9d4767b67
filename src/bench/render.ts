import type { MemoryReport } from './memory-bench.js';
import { median } from './stats.js';
import type { MeasuredRow, ThroughputReport, ThroughputRow } from './throughput-bench.js';

/** Plain text on purpose: the output is pasted into issues and notes, where colour is noise. */

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  // First column left-aligned (labels), the others right-aligned (numbers).
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** What each raw loop is, in the words of the row label. */
const RAW_LABELS: Record<ThroughputRow['transport'], string> = {
  zmq: 'raw zmq DEALER→REP',
  redis: 'raw redis LPUSH/BLMPOP',
  kafka: 'raw kafkajs produce→consume→ack',
};

/** A row's third figure, where it has one (see MeasuredRow in throughput-bench.ts). */
const EXTRAS = [
  {
    field: 'discarded',
    label: 'semlab, journals discarded',
    ratioLabel: 'discarded / raw',
    note: [
      'semlab, journals discarded: every journal write replaced by nothing, in a',
      '  bench-only build that semlab refuses to report (no counts); its gap to',
      "  semlab is what the journals' write(2) costs",
    ],
  },
  {
    field: 'rawJournalled',
    label: "raw, with semlab's journals",
    ratioLabel: 'journalled / raw',
    note: [
      "raw, with semlab's journals: the raw loop writing the lines a semlab",
      '  dispatcher and worker write for each message, and nothing else of semlab:',
      '  the most semlab can reach on that transport while its counts are durable',
    ],
  },
] as const;

export function renderThroughput(report: ThroughputReport): string {
  const runs = (values: readonly { throughput: number }[]): string =>
    values.map((v) => count(v.throughput)).join(' ');
  const rows: string[][] = [['', 'msg/s (median)', 'runs']];
  const notes: string[] = [];
  for (const row of report.rows) {
    if ('skipped' in row) {
      notes.push(`${row.transport} row skipped: ${row.skipped}`);
      continue;
    }
    // A blank line between transports: each block of three reads as one comparison.
    if (rows.length > 1) rows.push([]);
    rows.push(
      [RAW_LABELS[row.transport], count(row.raw.medianThroughput), runs(row.raw.runs)],
      [
        `semlab ${report.semantics} over ${row.transport}`,
        count(row.semlab.medianThroughput),
        runs(row.semlab.runs),
      ],
      ['semlab / raw', row.ratio.toFixed(2), row.ratios.map((r) => r.toFixed(2)).join(' ')],
    );
    for (const extra of EXTRAS) {
      const figure = row[extra.field];
      if (!figure) continue;
      rows.push(
        [extra.label, count(figure.medianThroughput), runs(figure.runs)],
        [
          extra.ratioLabel,
          figure.ratio.toFixed(2),
          figure.ratios.map((r) => r.toFixed(2)).join(' '),
        ],
      );
      notes.push(...extra.note);
    }
    if (row.server) notes.push(`${row.transport}: ${row.server}`);
  }
  const measured = report.rows.filter((row): row is MeasuredRow => !('skipped' in row));
  const us = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(1));
  const cpuRows: string[][] = [['CPU µs per message', 'dispatcher', 'workers (sum)']];
  for (const row of measured) {
    cpuRows.push(
      [RAW_LABELS[row.transport], us(row.cpu.raw.dispatcherUs), us(row.cpu.raw.workersUs)],
      [
        `semlab over ${row.transport}`,
        us(row.cpu.semlab.dispatcherUs),
        us(row.cpu.semlab.workersUs),
      ],
    );
    for (const extra of EXTRAS) {
      const figure = row[extra.field];
      if (figure)
        cpuRows.push([extra.label, us(figure.cpu.dispatcherUs), us(figure.cpu.workersUs)]);
    }
  }
  const { defaultRun } = report;
  const seconds = (value: number | undefined): string =>
    value === undefined ? 'n/a' : `${value.toFixed(2)} s`;
  const startRows = [
    ['default run', 'wall', 'CPU'],
    [defaultRun.command, seconds(defaultRun.semlab.wallS), seconds(defaultRun.semlab.cpuS)],
    ['node -e 0', seconds(defaultRun.node.wallS), seconds(defaultRun.node.cpuS)],
  ];
  const cost = report.clockCost;
  const clockRows = cost
    ? [
        ['semlab over zmq, by clock', 'msg/s (median)', 'runs'],
        ['real clock', count(cost.real.medianThroughput), runs(cost.real.runs)],
        ['virtual clock (default)', count(cost.virtual.medianThroughput), runs(cost.virtual.runs)],
        ['virtual / real', cost.ratio.toFixed(2), cost.ratios.map((r) => r.toFixed(2)).join(' ')],
      ]
    : undefined;
  const { ownWork } = report;
  const ownRows = [
    ["semlab's own work, no transport", 'µs per message'],
    ['dispatcher, network, clock: CPU', ownWork.dispatcherUs.toFixed(2)],
    ['one worker: CPU', ownWork.workerUs.toFixed(2)],
    ...measured.map((row) => [
      `raw ${row.transport} loop: wall`,
      (1e6 / row.raw.medianThroughput).toFixed(2),
    ]),
  ];
  return [
    `${report.semantics}: ${report.workers} workers, ${count(report.messages)} messages, ` +
      `window ${report.window}, median of ${report.repeat}`,
    ...(rows.length > 1 ? ['', table(rows)] : []),
    ...(measured.length > 0
      ? [
          '',
          table(cpuRows),
          '(dispatcher: the dispatching process, the raw sender; start-up included)',
        ]
      : []),
    ...(clockRows
      ? ['', table(clockRows), '(goal: the virtual clock within 10% of the real one, ratio ≥ 0.90)']
      : []),
    '',
    table(ownRows),
    '(each part in a process of its own, journalling to a file, over no transport: the floor',
    "  of what semlab adds to a raw loop, against that loop's wall time per message)",
    '',
    table(startRows),
    "(whole process trees; CPU: the kernel's user + system time of all their processes)",
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}

export function renderMemory(report: MemoryReport): string {
  const signedKb = (kb: number): string => `${kb >= 0 ? '+' : ''}${count(kb)} kB`;
  const rows = report.sizes.map((size, i) => {
    const previous = report.sizes[i - 1];
    return [
      count(size.messages),
      `${count(size.medianDispatcherMaxRssKb)} kB`,
      previous ? signedKb(size.medianDispatcherMaxRssKb - previous.medianDispatcherMaxRssKb) : '',
      `${(median(size.runs.map((r) => r.durationMs)) / 1000).toFixed(1)} s`,
      count(median(size.runs.map((r) => r.throughput))),
    ];
  });
  const growth = report.growth;
  const goalLine = growth
    ? `Peak RSS at ${count(growth.toMessages)} / at ${count(growth.fromMessages)}: ` +
      `${growth.ratio.toFixed(3)} (goal <= ${growth.goal.toFixed(2)}: ` +
      `${growth.ratio <= growth.goal ? 'met' : 'NOT met'})`
    : 'Peak RSS growth: give two --sizes of at least 100,000 to compare with the goal (<= 1.10)';
  const clock = report.clock === 'default' ? "semlab's default clock (virtual)" : report.clock;
  return [
    `${report.semantics} over zmq: ${report.workers} workers, window ${report.window}, ` +
      `clock ${clock}, median of ${report.repeat} per size`,
    '',
    table([
      ['messages', 'dispatcher max RSS', 'vs previous size', 'dispatch time', 'msg/s'],
      ...rows,
    ]),
    '',
    goalLine,
    '',
    'Flat means: no growth between the larger sizes. The dispatcher runs with a fixed young',
    'generation and old-space growth factor (src/core/dispatcher-heap.ts); a run shorter than',
    'about 100k messages can end before its first old-space collection at the working size.',
  ].join('\n');
}
