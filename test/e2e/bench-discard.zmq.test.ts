import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withCpuLog } from '../../src/bench/children.js';
import { runSemlab as benchSemlab } from '../../src/bench/semlab-run.js';
import { makeSemlabHome, runFolders, runSemlab } from '../support/semlab.js';

const PRELOAD = resolve(import.meta.dirname, '../../dist/bench/discard-journal.js');

/**
 * The bench's "journals discarded" row (src/bench/discard-journal.ts): the bench-only switch must
 * really empty every journal, and semlab must refuse to report such a run, never print counts
 * that mean nothing.
 */
describe('a run with its journals discarded (bench-only)', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it('is refused with one line and exit 3, its journals empty and its outcome kept', async () => {
    const result = await runSemlab(
      ['run', 'at-least-once', '--messages', '50', '--workers', '2', '--clock', 'real', '--json'],
      home,
      { NODE_OPTIONS: `--import=${PRELOAD}` },
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^semlab: .*discarded by a bench-only build/);
    const [runDir] = runFolders(home);
    const journalDir = join(runDir as string, 'journal');
    const names = readdirSync(journalDir);
    // Dispatcher, supervisor, and both workers: each left its marker and wrote no line.
    expect(names.filter((name) => name.endsWith('.discarded')).sort()).toEqual([
      'dispatcher.jsonl.discarded',
      'supervisor.jsonl.discarded',
      'w1.0.jsonl.discarded',
      'w2.0.jsonl.discarded',
    ]);
    expect(names.filter((name) => name.endsWith('.jsonl'))).toEqual([]);
    expect(existsSync(join(runDir as string, 'report.json'))).toBe(false);
    const outcome = JSON.parse(
      readFileSync(join(runDir as string, 'discarded-outcome.json'), 'utf8'),
    ) as { status: string };
    expect(outcome.status).toBe('completed');
  });

  it("gives the bench a throughput, with the CPU probe's preload alongside", async () => {
    const [run, cpu] = await withCpuLog(() =>
      benchSemlab({
        semantics: 'at-least-once',
        workers: 2,
        messages: 100,
        window: 16,
        clock: 'real',
        discardJournals: true,
      }),
    );
    expect(run.throughput).toBeGreaterThan(0);
    expect(cpu.processes).toBe(3);
  });
});
