import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSemlabHome, runSemlab } from './semlab.js';

/**
 * `semlab grade --transport T` with the real example workers (examples/workers/), over the suite's
 * own server: the naive worker breaks exactly-once under ack loss, the slides' check-then-mark
 * worker holds under ack loss and breaks at a crash after execute (the same grade on a second
 * run: the virtual clock), the exactly-once worker holds the cases `holdsCases` names.
 * Small runs and only the cases each assertion needs: on Kafka every run costs seconds.
 */

const WORKERS = resolve(import.meta.dirname, '../../examples/workers');
const MESSAGES = '15';

export interface GradeRow {
  case: string;
  held: boolean;
  reason: string;
  sent: number;
  delivered: number;
  executed: number;
  duplicateExecutions: number;
  lost: number;
  runId: string;
}

interface Grade {
  claim: string;
  transport: string;
  held: boolean;
  cases: GradeRow[];
  counterexample: {
    case: string;
    runId: string;
    story: { epoch: number; outcome: string; executions: number };
  } | null;
}

export function describeGradeOver(
  transport: 'redis' | 'kafka',
  extraArgs: readonly string[],
  holdsCases: readonly string[],
  holdsArgs: readonly string[] = [],
): void {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  async function grade(
    worker: string,
    cases: readonly string[],
    args: readonly string[] = [],
  ): Promise<{ code: number | null; grade: Grade; stderr: string }> {
    const result = await runSemlab(
      [
        'grade',
        '--worker-cmd',
        `python3 ${join(WORKERS, worker)}`,
        '--claim',
        'exactly-once',
        '--transport',
        transport,
        '--messages',
        MESSAGES,
        '--cases',
        cases.join(','),
        '--json',
        ...extraArgs,
        ...args,
      ],
      home,
    );
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('semlab:'));
    // A broken claim is the one expected line; anything else (a server problem) fails loudly here.
    for (const line of errors) expect(line, result.stderr).toMatch(/broke its claim/);
    return { code: result.code, grade: JSON.parse(result.stdout) as Grade, stderr: result.stderr };
  }

  describe(`semlab grade --transport ${transport}`, () => {
    it('breaks the naive worker under ack loss: duplicates, nothing lost (exit 1)', async () => {
      const { code, grade: g } = await grade('naive.py', ['drop-ack']);
      expect(code).toBe(1);
      expect(g.transport).toBe(transport);
      expect(g.held).toBe(false);
      const [row] = g.cases;
      expect(row).toMatchObject({ case: 'drop-ack', held: false, lost: 0 });
      expect(row?.duplicateExecutions).toBeGreaterThan(0);
      expect(row?.executed).toBe(Number(MESSAGES) + (row?.duplicateExecutions ?? 0));
      expect(g.counterexample).toMatchObject({
        case: 'drop-ack',
        story: { outcome: 'duplicate' },
      });
    }, 120_000);

    it("holds the slides' check-then-mark worker under ack loss and breaks it at a crash after execute, the same grade on a second run", async () => {
      const cases = ['drop-ack', 'crash-after-execute'];
      const first = await grade('check_then_mark.py', cases);
      expect(first.code).toBe(1);
      const [dropAck, crash] = first.grade.cases;
      expect(dropAck).toMatchObject({
        case: 'drop-ack',
        held: true,
        executed: Number(MESSAGES),
        duplicateExecutions: 0,
        lost: 0,
      });
      // Acks were lost: the dispatcher retried, the mark turned the retries away.
      expect(dropAck?.sent).toBeGreaterThan(Number(MESSAGES));
      expect(crash).toMatchObject({ case: 'crash-after-execute', held: false, lost: 0 });
      expect(crash?.duplicateExecutions).toBeGreaterThan(0);
      const counterexample = first.grade.counterexample;
      expect(counterexample).toMatchObject({
        case: 'crash-after-execute',
        runId: crash?.runId,
        story: { outcome: 'duplicate', executions: 2 },
      });
      // The crash comes at every 5th epoch the worker handles: the hole is at such an epoch.
      expect(counterexample?.story.epoch).toBeGreaterThan(0);

      const second = await grade('check_then_mark.py', cases);
      const withoutRun = (g: Grade): unknown => ({
        rows: g.cases.map(({ runId: _run, ...row }) => row),
        epoch: g.counterexample?.story.epoch,
      });
      expect(withoutRun(second.grade)).toEqual(withoutRun(first.grade));
    }, 240_000);

    it('holds the exactly-once worker in every case it is graded on (exit 0)', async () => {
      const { code, grade: g, stderr } = await grade('exactly_once.py', holdsCases, holdsArgs);
      expect(code, stderr).toBe(0);
      expect(g.held).toBe(true);
      expect(g.counterexample).toBeNull();
      expect(g.cases.map((c) => c.case)).toEqual(holdsCases);
      for (const c of g.cases) {
        expect(c, c.case).toMatchObject({
          held: true,
          executed: Number(MESSAGES),
          duplicateExecutions: 0,
          lost: 0,
        });
      }
      // The faults happened: every case but no-faults retried.
      for (const c of g.cases.filter((c) => c.case !== 'no-faults')) {
        expect(c.sent, c.case).toBeGreaterThan(Number(MESSAGES));
      }
    }, 300_000);
  });
}
