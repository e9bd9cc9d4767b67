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

export const FAULT_COLUMNS = {
  // A generous timeout: with no faults, any retry would be a bug, not a slow machine.
  'no faults': ['--timeout', '2000'],
  'drop work': ['--drop-work', '0.2'],
  'drop ack': ['--drop-ack', '0.2'],
  // 15% of acks arrive 1.5 s late, past the 1 s timeout of CELL_ARGS.
  'slow ack': ['--delay-ack', '1500@0.15'],
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
 *
 * The ack timeout is 1 s (a column may override it): a retry then never overlaps the first
 * delivery of the same epoch, even on a loaded machine. Overlapping deliveries are exactly-once's
 * other hole (both can pass the "already executed?" check before either marks); the cells of the
 * table are about the faults, so the tests keep that race out. The atomic preset closes it.
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
  '--timeout',
  '1000',
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
        // faultArgs after CELL_ARGS: a column's own --timeout wins (commander keeps the last).
        const report = await runJson(
          ['run', semantics, '--transport', transport, ...CELL_ARGS, ...faultArgs, ...extraArgs],
          home,
        );
        assertCell(report, cell);
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
