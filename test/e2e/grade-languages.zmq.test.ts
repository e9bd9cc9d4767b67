import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSemlabHome, runSemlab } from '../support/semlab.js';

/**
 * The example workers in JavaScript get the very grade of their Python twins: the protocol, the
 * seed and the virtual clock decide a grade, not the language the worker is written in.
 */

const WORKERS = resolve(import.meta.dirname, '../../examples/workers');
const { home, cleanup } = makeSemlabHome();
afterAll(cleanup);

interface Grade {
  held: boolean;
  cases: { case: string; runId: string; [field: string]: unknown }[];
  counterexample: { case: string; story: { epoch: number; outcome: string } } | null;
}

async function grade(command: string, cases: string): Promise<{ code: number | null; g: Grade }> {
  const result = await runSemlab(
    [
      'grade',
      '--worker-cmd',
      command,
      '--claim',
      'exactly-once',
      '--messages',
      '15',
      '--cases',
      cases,
      '--json',
    ],
    home,
  );
  return { code: result.code, g: JSON.parse(result.stdout) as Grade };
}

/** A grade without its run ids (each run has its own). */
function rows(g: Grade): unknown {
  return {
    held: g.held,
    cases: g.cases.map(({ runId: _run, ...row }) => row),
    counterexample: g.counterexample && {
      case: g.counterexample.case,
      epoch: g.counterexample.story.epoch,
    },
  };
}

describe('example workers in JavaScript', () => {
  it("check_then_mark.mjs: the slides' worker, the grade of check_then_mark.py (held under ack loss, broken after execute)", async () => {
    const cases = 'drop-ack,crash-after-execute';
    const js = await grade(`node ${join(WORKERS, 'check_then_mark.mjs')}`, cases);
    const py = await grade(`python3 ${join(WORKERS, 'check_then_mark.py')}`, cases);
    expect(js.code).toBe(1);
    expect(js.g.cases.map((c) => [c.case, c.held])).toEqual([
      ['drop-ack', true],
      ['crash-after-execute', false],
    ]);
    expect(js.g.counterexample?.story.outcome).toBe('duplicate');
    expect(rows(js.g)).toEqual(rows(py.g));
  }, 120_000);

  it('exactly_once.mjs: held where the slides fail, the grade of exactly_once.py', async () => {
    const cases = 'crash-after-execute,crash-after-mark';
    const js = await grade(`node ${join(WORKERS, 'exactly_once.mjs')}`, cases);
    const py = await grade(`python3 ${join(WORKERS, 'exactly_once.py')}`, cases);
    expect(js.code).toBe(0);
    expect(js.g.cases.map((c) => [c.case, c.held, c.executed, c.duplicateExecutions])).toEqual([
      ['crash-after-execute', true, 15, 0],
      ['crash-after-mark', true, 15, 0],
    ]);
    expect(rows(js.g)).toEqual(rows(py.g));
  }, 120_000);
});
