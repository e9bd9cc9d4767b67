import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS, type SemanticsName } from '../../src/core/semantics.js';
import type { RunReport } from '../../src/report/run-report.js';
import { makeSemlabHome, runJson } from './semlab.js';

/**
 * The expected-outcome table of design.md section 1, as data. Cells say what is certain:
 * 'ok' = nothing lost and nothing executed twice; 'L' / 'D' = certainly some lost / duplicated;
 * 'noL' / 'noD' = that outcome is impossible (the other may or may not happen).
 */
export type Cell = 'ok' | 'L,noD' | 'D,noL' | 'noL' | 'noD';

/**
 * The fault of each column, on the virtual clock with the default 200 ms timeout: a timeout fires
 * only for a reason the run caused, so no margin for a loaded machine is needed.
 */
export const FAULT_COLUMNS = {
  'no faults': [],
  'drop work': ['--drop-work', '0.2'],
  'drop ack': ['--drop-ack', '0.2'],
  // 15% of acks arrive 400 ms late, past the 200 ms timeout.
  'slow ack': ['--delay-ack', '400@0.15'],
  'crash after-receive': ['--crash', 'after-receive@10'],
  'crash after-execute': ['--crash', 'after-execute@10'],
  'crash before-ack': ['--crash', 'before-ack@10'],
} as const;

export type FaultColumn = keyof typeof FAULT_COLUMNS;

export const OUTCOME_TABLE: Record<SemanticsName, Record<FaultColumn, Cell>> = {
  'at-most-once': {
    'no faults': 'ok',
    'drop work': 'L,noD',
    'drop ack': 'ok',
    'slow ack': 'ok',
    'crash after-receive': 'L,noD',
    'crash after-execute': 'noD',
    'crash before-ack': 'noD',
  },
  'at-least-once': {
    'no faults': 'ok',
    'drop work': 'noL',
    'drop ack': 'D,noL',
    'slow ack': 'D,noL',
    'crash after-receive': 'noL',
    'crash after-execute': 'D,noL',
    'crash before-ack': 'D,noL',
  },
  'exactly-once': {
    'no faults': 'ok',
    'drop work': 'ok',
    'drop ack': 'ok',
    'slow ack': 'ok',
    'crash after-receive': 'ok',
    'crash after-execute': 'D,noL',
    'crash before-ack': 'ok',
  },
  'exactly-once-atomic': {
    'no faults': 'ok',
    'drop work': 'ok',
    'drop ack': 'ok',
    'slow ack': 'ok',
    'crash after-receive': 'ok',
    'crash after-execute': 'ok',
    'crash before-ack': 'ok',
  },
  'at-most-once-execution': {
    'no faults': 'ok',
    'drop work': 'ok',
    'drop ack': 'ok',
    'slow ack': 'ok',
    'crash after-receive': 'ok',
    'crash after-execute': 'ok',
    'crash before-ack': 'ok',
  },
};

/**
 * The common run settings of every cell: small enough to be quick, large enough to be certain.
 * On the virtual clock a retry never overlaps the first delivery of the same epoch (the virtual
 * network hands one attempt of an epoch at a time), so exactly-once's other hole (two deliveries
 * both passing the "already executed?" check) stays out of the cells, which are about the faults.
 */
export const CELL_ARGS = [
  '--workers',
  '3',
  '--messages',
  '100',
  '--seed',
  '7',
  '--restart-delay',
  '50',
];

export function assertCell(report: RunReport, cell: Cell): void {
  // Every run's history passes the checker's consistency checks, whatever happened.
  expect(report.consistency).toEqual({ ok: true, violationCount: 0, violations: [] });
  expect(report.unsettled).toBe(0);
  expect(report.status).toBe('completed');
  switch (cell) {
    case 'ok':
      expect(report.lost).toBe(0);
      expect(report.duplicateExecutions).toBe(0);
      expect(report.verdict.held).toBe(true);
      break;
    case 'L,noD':
      expect(report.lost).toBeGreaterThan(0);
      expect(report.duplicateExecutions).toBe(0);
      break;
    case 'D,noL':
      expect(report.duplicateExecutions).toBeGreaterThan(0);
      expect(report.lost).toBe(0);
      break;
    case 'noL':
      expect(report.lost).toBe(0);
      break;
    case 'noD':
      expect(report.duplicateExecutions).toBe(0);
      break;
  }
}

/** Registers one row of the table: a test per fault column, each a real run over `transport`. */
export function describeOutcomeRow(
  semantics: SemanticsName,
  transport: string,
  extraArgs: string[] = [],
): void {
  describe(`${semantics} over ${transport}`, () => {
    const { home, cleanup } = makeSemlabHome();
    afterAll(cleanup);
    for (const [column, faultArgs] of Object.entries(FAULT_COLUMNS) as [
      FaultColumn,
      readonly string[],
    ][]) {
      const cell = OUTCOME_TABLE[semantics][column];
      it(`${column}: ${cell}`, async () => {
        const report = await runJson(
          ['run', semantics, '--transport', transport, ...CELL_ARGS, ...faultArgs, ...extraArgs],
          home,
        );
        assertCell(report, cell);
        // Every transport of the table (zmq, redis lists, kafka's dispatcher mode) is routed by
        // the dispatcher, so every row runs on the virtual clock and its counts are exact.
        expect(report.clock).toBe('virtual');
        assertExactCounts(report, column);
        // Injected faults really were injected: a cell that passes with no fault proves nothing.
        for (const fault of report.faults) expect(fault.injected).toBeGreaterThan(0);
        // The verdict is exactly "the preset's promise held", whatever the cell.
        const { promise } = PRESETS[semantics];
        const broken =
          (promise.noLoss && report.lost > 0) ||
          (promise.noDuplicates && report.duplicateExecutions > 0);
        expect(report.verdict.held).toBe(!broken);
      });
    }
  });
}

/**
 * On the virtual clock the cells are not only certain in kind but exact in number: every retry has
 * a cause the run injected, so counts follow from the injected counts alone.
 */
export function assertExactCounts(report: RunReport, column: FaultColumn): void {
  const { retries: retrying, workerSteps } = PRESETS[report.semantics];
  const injected = report.faults[0]?.injected ?? 0;
  const dedupes = workerSteps !== 'execute';
  switch (column) {
    case 'no faults':
      expect(report.sent).toBe(report.messages);
      expect(report.retries).toBe(0);
      break;
    case 'drop work':
      // Each dropped send is lost (no retry) or sent once more; it never ran, so never twice.
      if (retrying) expect(report.retries).toBe(injected);
      else expect(report.lost).toBe(injected);
      expect(report.duplicateExecutions).toBe(0);
      break;
    case 'drop ack':
    case 'slow ack':
      // Each ack that did not come back in time is one more attempt, which runs the work again
      // unless the worker dedupes it.
      if (!retrying) {
        expect(report.retries).toBe(0);
        break;
      }
      expect(report.retries).toBe(injected);
      expect(report.duplicateDeliveries).toBe(injected);
      expect(report.duplicateExecutions).toBe(dedupes ? 0 : injected);
      break;
    case 'crash after-execute':
      // The effect happened, the ack never left: one more execution per crash, except where the
      // dedupe mark (atomic, or mark-first) was made with the effect.
      if (report.semantics === 'at-least-once' || report.semantics === 'exactly-once')
        expect(report.duplicateExecutions).toBe(injected);
      break;
    case 'crash before-ack':
      if (report.semantics === 'at-least-once') expect(report.duplicateExecutions).toBe(injected);
      break;
    case 'crash after-receive':
      // The epoch dies with the worker (and so does its queue): never run twice.
      expect(report.duplicateExecutions).toBe(0);
      break;
  }
}

/**
 * The fault kinds of issue 14, as columns of their own: on the virtual clock only (zmq, redis
 * lists), where their counts are exact. Each column's own settings make it certain: one message
 * in flight for the pause and the slow work (so every retry is theirs), three for the partition.
 */
export const NEW_FAULT_COLUMNS = {
  'pause after-execute': ['--window', '1', '--pause', 'after-execute@10:500'],
  'duplicate work': ['--dup-work', '0.2'],
  reorder: ['--reorder', '0.3:30'],
  'partition w2': ['--window', '3', '--partition', 'w2@50:400'],
  // Every handling outlives the 200 ms timeout: each epoch is sent exactly twice.
  'slow work': ['--window', '1', '--work-ms', '250'],
} as const;

export type NewFaultColumn = keyof typeof NEW_FAULT_COLUMNS;

export const NEW_OUTCOME_TABLE: Record<SemanticsName, Record<NewFaultColumn, Cell>> = {
  'at-most-once': {
    // Executed before the pause, given up, never resent: nothing lost, nothing twice.
    'pause after-execute': 'ok',
    // No dedupe: the network's copy runs too, and at-most-once's promise breaks without a retry.
    'duplicate work': 'D,noL',
    reorder: 'ok',
    'partition w2': 'L,noD',
    'slow work': 'ok',
  },
  'at-least-once': {
    'pause after-execute': 'D,noL',
    'duplicate work': 'D,noL',
    reorder: 'ok',
    'partition w2': 'noL',
    'slow work': 'D,noL',
  },
  'exactly-once': {
    // The zombie: executed, frozen before its mark; the retry finds no mark.
    'pause after-execute': 'D,noL',
    'duplicate work': 'ok',
    reorder: 'ok',
    'partition w2': 'ok',
    'slow work': 'ok',
  },
  'exactly-once-atomic': {
    'pause after-execute': 'ok',
    'duplicate work': 'ok',
    reorder: 'ok',
    'partition w2': 'ok',
    'slow work': 'ok',
  },
  'at-most-once-execution': {
    'pause after-execute': 'ok',
    'duplicate work': 'ok',
    reorder: 'ok',
    'partition w2': 'ok',
    'slow work': 'ok',
  },
};

/** Registers the new columns of one row: a test per column, each a real run over `transport`. */
export function describeNewFaultsRow(
  semantics: SemanticsName,
  transport: string,
  extraArgs: string[] = [],
  columns: readonly NewFaultColumn[] = Object.keys(NEW_FAULT_COLUMNS) as NewFaultColumn[],
): void {
  describe(`${semantics} over ${transport}: pause, duplicate, reorder, partition, slow work`, () => {
    const { home, cleanup } = makeSemlabHome();
    afterAll(cleanup);
    for (const column of columns) {
      const faultArgs = NEW_FAULT_COLUMNS[column];
      const cell = NEW_OUTCOME_TABLE[semantics][column];
      it(`${column}: ${cell}`, async () => {
        const report = await runJson(
          ['run', semantics, '--transport', transport, ...CELL_ARGS, ...faultArgs, ...extraArgs],
          home,
        );
        expect(report.clock).toBe('virtual');
        assertCell(report, cell);
        for (const fault of report.faults) expect(fault.injected).toBeGreaterThan(0);
        assertNewExactCounts(report, column);
      });
    }
  });
}

/** The exact counts the virtual clock makes certain for the new columns. */
export function assertNewExactCounts(report: RunReport, column: NewFaultColumn): void {
  const { retries: retrying, workerSteps } = PRESETS[report.semantics];
  const injected = report.faults[0]?.injected ?? 0;
  const noDedupe = workerSteps === 'execute';
  switch (column) {
    case 'pause after-execute':
      // Each pause outlives the timeout: one retry each, which runs again unless deduped.
      expect(report.retries).toBe(retrying ? injected : 0);
      if (report.semantics === 'at-least-once' || report.semantics === 'exactly-once')
        expect(report.duplicateExecutions).toBe(injected);
      break;
    case 'duplicate work':
      // Duplicates without any retry: one more delivery per copy the network made.
      expect(report.retries).toBe(0);
      expect(report.duplicateDeliveries).toBe(injected);
      expect(report.duplicateExecutions).toBe(noDedupe ? injected : 0);
      break;
    case 'reorder':
      expect([report.retries, report.duplicateDeliveries]).toEqual([0, 0]);
      break;
    case 'partition w2':
      // One retry per message caught in the cut; without retries, the work caught is lost.
      if (retrying) expect(report.retries).toBe(injected);
      else expect(report.lost).toBeLessThanOrEqual(injected);
      break;
    case 'slow work':
      // Every first attempt times out: each epoch is sent exactly twice (or given up once).
      expect(report.retries).toBe(retrying ? report.messages : 0);
      expect(report.duplicateExecutions).toBe(retrying && noDedupe ? report.messages : 0);
      break;
  }
}
