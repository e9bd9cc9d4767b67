import type { ChalkInstance } from 'chalk';
import { renderReplicaStrip } from '../report/render-replicas.js';
import { replicaPhasesOfRun } from '../report/replica-history.js';
import type { RunReport } from '../report/run-report.js';

/**
 * The "leaders and in-sync replicas" strip printed after the report of a run that crashed a Kafka
 * broker (before / during / after), with its trailing newline; empty for any other run.
 */
export function replicaStripAfter(report: RunReport, colour: ChalkInstance): string {
  if (!report.faults.some((f) => f.type === 'crash-broker')) return '';
  const phases = replicaPhasesOfRun(report.runDir);
  return phases ? `\n${renderReplicaStrip(phases, report.runId, colour)}\n` : '';
}
