import { afterAll, describe, expect, it } from 'vitest';
import { assertCell, CELL_ARGS } from '../support/outcome-table.js';
import { makeSemlabHome, runJson } from '../support/semlab.js';

/** The cells of design.md that sit outside the main table: the after-mark column and the store. */
describe('outside the main table, over zmq', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const run = (args: string[]) => runJson(['run', ...args, ...CELL_ARGS], home);

  it('at-most-once-execution with a crash after-mark loses work and never repeats it', async () => {
    const report = await run(['at-most-once-execution', '--crash', 'after-mark@10']);
    assertCell(report, 'L,noD');
    // Every lost epoch is one whose mark was made by a worker that died before executing it.
    expect(report.lost).toBe(report.faults[0]?.injected);
    expect(report.verdict.held).toBe(true);
  });

  it('exactly-once with per-worker memory stores duplicates under ack loss; the shared sqlite store does not', async () => {
    const memory = await run(['exactly-once', '--drop-ack', '0.2', '--store', 'memory']);
    assertCell(memory, 'D,noL');
    expect(memory.verdict.held).toBe(false);
    const sqlite = await run(['exactly-once', '--drop-ack', '0.2', '--store', 'sqlite']);
    assertCell(sqlite, 'ok');
    // Same seed, same drops: the only difference is where the marks live.
    expect(sqlite.faults[0]?.injected).toBe(memory.faults[0]?.injected);
  });

  it('exactly-once with a memory store duplicates after a crash of a worker that had marked epochs', async () => {
    const report = await run(['exactly-once', '--crash', 'before-ack@10', '--store', 'memory']);
    assertCell(report, 'D,noL');
  });

  it('at-most-once with a crash after-mark never fires it (no mark step) and loses nothing', async () => {
    const report = await run(['at-most-once', '--crash', 'after-mark@10']);
    assertCell(report, 'ok');
    expect(report.faults[0]?.injected).toBe(0);
  });
});
