import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { describeFault } from '../faults/spec.js';
import type { RunReport } from './run-report.js';

/** Box drawing without a rule between rows: half the height, same readability. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * The results as a person reads them: a header line, the counts with what each one means, the
 * verdict, and a table per worker. Kept under 80 columns so it fits a projector at a large font.
 */
export function renderRunReport(report: RunReport, colour: ChalkInstance): string {
  const lines: string[] = [];
  lines.push(
    colour.bold(`${report.semantics}`) +
      ` over ${report.transport} · ${report.workers} workers · ${report.messages} messages · seed ${report.seed} · store ${report.store}`,
  );
  if (report.kafka) lines.push(colour.dim(describeKafka(report.kafka)));
  const faults = report.faults.map((f) => `${describeFault(f)} (${f.injected} injected)`);
  if (report.externalKills > 0) faults.push(`${report.externalKills} worker deaths from outside`);
  lines.push(colour.dim(`faults: ${faults.length > 0 ? faults.join('; ') : 'none'}`));

  const counts = new Table({
    chars: COMPACT,
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'left'],
  });
  const row = (
    name: string,
    value: number,
    meaning: string,
    tone?: (text: string) => string,
  ): void => {
    const text = value.toLocaleString('en-US');
    counts.push([name, tone && value > 0 ? tone(text) : text, colour.dim(meaning)]);
  };
  row('messages', report.messages, 'epochs the run had to deliver');
  row('sent', report.sent, 'send attempts, retries included');
  row('retries', report.retries, 'sends after the first');
  row('delivered', report.delivered, 'receipts at workers, repeats included');
  row('duplicate deliveries', report.duplicateDeliveries, 'receipts of an epoch already received');
  row('executed', report.executed, 'effects applied (from the ledger)');
  row('duplicate executions', report.duplicateExecutions, 'effects applied again', colour.yellow);
  row('acked', report.acked, 'epochs whose ack reached the dispatcher');
  row('lost', report.lost, 'epochs never executed', colour.red);
  lines.push(counts.toString());

  const { verdict } = report;
  const badge = verdict.held ? colour.green.bold('HELD') : colour.red.bold('BROKEN');
  lines.push(`verdict: ${badge}  promise: ${verdict.promise}`);
  lines.push(`         ${verdict.reason}`);
  if (report.status === 'stalled')
    lines.push(colour.red(`stalled: ${report.diagnosis ?? 'no diagnosis'}`));
  if (!report.identityHolds)
    lines.push(
      colour.red('inconsistent history: executed ≠ messages − lost + duplicate executions'),
    );

  const workers = new Table({
    head: ['worker', 'delivered', 'executed', 'skipped', 'acks sent', 'crashes', 'deaths'].map(
      (h) => colour.bold(h),
    ),
    chars: COMPACT,
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const w of report.perWorker) {
    workers.push(
      [w.worker, w.delivered, w.executed, w.skipped, w.acksSent, w.crashes, w.deaths].map(String),
    );
  }
  lines.push(workers.toString());
  lines.push(
    colour.dim(
      `${report.throughput.toLocaleString('en-US')} msg/s · ${(report.durationMs / 1000).toFixed(2)} s · run ${report.runId} (${report.runDir})`,
    ),
  );
  return lines.join('\n');
}

const COMMIT_WORDS = {
  'on-receipt': 'offsets committed on receipt, before the work',
  'after-processing': 'offsets committed after the work',
  transaction: 'offset, effect and ack in one transaction',
} as const;

/** "kafka native: offsets committed after the work · acks=all · 3 partitions" */
export function describeKafka(kafka: NonNullable<RunReport['kafka']>): string {
  const guarantee =
    kafka.mode === 'dispatcher'
      ? "kafka dispatcher mode: the dispatcher's retries; offsets committed on receipt"
      : `kafka native: ${COMMIT_WORDS[kafka.commit]}`;
  return `${guarantee} · acks=${kafka.acks} · ${kafka.partitions} partitions`;
}
