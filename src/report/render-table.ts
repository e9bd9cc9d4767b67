import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { PRESETS } from '../core/semantics.js';
import {
  LIVE_DROP_PROBABILITY,
  LIVE_SLOW_ACK_TIMEOUTS,
  type ReportedFault,
} from '../faults/spec.js';
import { messages, type Catalog } from '../i18n/catalog.js';
import type { RunReport } from './run-report.js';

/** Box drawing without a rule between rows: half the height, same readability. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * The results as a person reads them: a header line, the counts with what each one means, the
 * verdict, and a table per worker. Kept under 80 columns so it fits a projector at a large font.
 * Words come from the chosen language's catalog; the numbers from the report.
 */
export function renderRunReport(
  report: RunReport,
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const lines: string[] = [];
  lines.push(colour.bold(`${report.semantics}`) + m.runHeader(report));
  if (report.kafka) lines.push(colour.dim(describeKafka(report.kafka, m)));
  const faults = report.faults.map((f) =>
    m.injected({ fault: describeFaultIn(f, m), count: f.injected }),
  );
  if (report.externalKills > 0) faults.push(m.externalKills(report.externalKills));
  lines.push(colour.dim(`${m.clockKind(report.clock)} · ${m.faults(faults)}`));

  const counts = new Table({
    chars: COMPACT,
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'left'],
  });
  const row = (field: keyof Catalog['rows'], tone?: (text: string) => string): void => {
    const value = report[field] ?? 0;
    const text = m.number(value);
    const { name, meaning } = m.rows[field];
    counts.push([name, tone && value > 0 ? tone(text) : text, colour.dim(meaning)]);
  };
  row('messages');
  row('sent');
  row('retries');
  row('delivered');
  row('duplicateDeliveries');
  row('executed');
  row('duplicateExecutions', colour.yellow);
  row('acked');
  row('lost', colour.red);
  // Only a run that did not finish has unsettled epochs: a finished run's table stays as it was.
  if ((report.unsettled ?? 0) > 0) row('unsettled', colour.yellow);
  lines.push(counts.toString());

  const label = `${m.verdict}: `;
  lines.push(
    `${label}${verdictBadge(report, colour, m)}  ${m.promise}: ${m.promises[report.semantics]}`,
  );
  lines.push(`${' '.repeat(label.length)}${verdictReason(report, m)}`);
  if (report.status === 'stalled') lines.push(colour.red(m.stalled(report.diagnosis)));
  lines.push(...renderViolations(report, colour, m));

  const c = m.workerColumns;
  const workers = new Table({
    head: [c.worker, c.delivered, c.executed, c.skipped, c.acksSent, c.crashes, c.deaths].map((h) =>
      colour.bold(h),
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
      m.runFooter({
        throughput: m.number(report.throughput),
        seconds: m.seconds(report.durationMs),
        ...(report.virtualDurationMs !== undefined
          ? { virtualMs: m.number(report.virtualDurationMs) }
          : {}),
        runId: report.runId,
        runDir: report.runDir,
      }),
    ),
  );
  return lines.join('\n');
}

/** The parts of a report the verdict's words come from (older reports lack the newer fields). */
export type VerdictSource = Pick<RunReport, 'semantics' | 'lost' | 'duplicateExecutions'> &
  Partial<Pick<RunReport, 'unsettled' | 'status' | 'consistency'>>;

/**
 * Why the verdict is what it is, in the chosen language, from the counts and the preset's promise
 * (the report's `verdict.reason` is the English of the same facts, kept for --json).
 */
export function verdictReason(report: VerdictSource, m: Catalog = messages()): string {
  const { promise } = PRESETS[report.semantics];
  return m.verdictReason({
    semantics: report.semantics,
    lost: report.lost,
    duplicates: report.duplicateExecutions,
    noLoss: promise.noLoss,
    noDuplicates: promise.noDuplicates,
    unsettled: report.unsettled ?? 0,
    unfinished: report.status !== undefined && report.status !== 'completed',
    inconsistent: report.consistency ? !report.consistency.ok : false,
  });
}

/** HELD, BROKEN, or NO VERDICT (a run that did not finish, a history semlab got wrong). */
export function verdictBadge(
  report: Pick<RunReport, 'verdict'>,
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const { held } = report.verdict;
  if (held === null) return colour.yellow.bold(m.noVerdictBadge);
  return held ? colour.green.bold(m.heldBadge) : colour.red.bold(m.brokenBadge);
}

/** Violations shown in the table; the rest are counted ("… and 12 more"). */
const VIOLATIONS_SHOWN = 5;

/** The broken consistency checks, said to be semlab's bug: nothing for a consistent history. */
export function renderViolations(
  report: Partial<Pick<RunReport, 'consistency'>>,
  colour: ChalkInstance,
  m: Catalog = messages(),
): string[] {
  const consistency = report.consistency;
  if (!consistency || consistency.ok) return [];
  const shown = consistency.violations.slice(0, VIOLATIONS_SHOWN);
  const more = consistency.violationCount - shown.length;
  return [
    colour.red(m.inconsistentHistory(consistency.violationCount)),
    ...shown.map((v) => colour.red(`  ${m.violation(v)}`)),
    ...(more > 0 ? [colour.red(`  ${m.moreViolations(more)}`)] : []),
  ];
}

/** A fault in the chosen language, as the faults line of the table lists it. */
export function describeFaultIn(fault: ReportedFault, m: Catalog = messages()): string {
  switch (fault.type) {
    case 'drop':
      return m.faultDrop(fault);
    case 'delay':
      return m.faultDelay(fault);
    case 'crash':
      return m.faultCrash(fault);
    case 'work':
      return m.faultWork({ ms: fault.ms, jitterMs: fault.jitterMs ?? 0 });
    case 'pause':
      return m.faultPause(fault);
    case 'duplicate':
      return m.faultDuplicate(fault);
    case 'reorder':
      return m.faultReorder(fault);
    case 'partition':
      return m.faultPartition({
        worker: fault.worker,
        direction: fault.direction ?? 'both',
        atMs: fault.atMs,
        ms: fault.ms,
      });
    case 'crash-broker':
      return m.faultCrashBroker(fault);
    case 'live':
      return m.faultLive({
        action: fault.action,
        dropPercent: `${Math.round(LIVE_DROP_PROBABILITY * 100)}%`,
        slowAckTimeouts: LIVE_SLOW_ACK_TIMEOUTS,
      });
  }
}

/** "kafka native: offsets committed after the work · acks=all · 3 partitions" */
export function describeKafka(
  kafka: NonNullable<RunReport['kafka']>,
  m: Catalog = messages(),
): string {
  const mode =
    kafka.mode === 'dispatcher' ? m.kafkaDispatcherMode : m.kafkaNativeMode[kafka.commit];
  return m.kafkaDetails({ mode, acks: kafka.acks, partitions: kafka.partitions });
}
