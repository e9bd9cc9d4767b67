import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, makeSemlabHome, runSemlab, startSemlab, until } from '../support/semlab.js';

/**
 * Students' workers (docs/worker-protocol.md), graded with the real example workers in Python:
 * the correct exactly-once worker holds every case of the battery, the slides' check-then-mark
 * worker breaks at the after-execute crash (with the offending epoch shown), a worker that breaks
 * the protocol gets one line naming its line, and no student process outlives its semlab worker.
 */

const WORKERS = resolve(import.meta.dirname, '../../examples/workers');
const { home, cleanup } = makeSemlabHome();
afterAll(cleanup);

/** Processes with `tag` in an argument: the student's programs get the test's home as one. */
function processesWith(tag: string): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let args: string;
    try {
      // A zombie (dead, not yet reaped) has an empty command line: it runs nothing.
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (args.includes(tag)) found.push({ pid: Number(entry), args });
  }
  return found;
}

/** The student process with its semlab worker (its process group's leader), if both still run. */
function withWorker({
  pid,
}: {
  pid: number;
}): { studentPid: number; workerPid: number } | undefined {
  try {
    const group = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
    const leader = readFileSync(`/proc/${group}/cmdline`, 'utf8');
    return leader.includes('worker-entry') ? { studentPid: pid, workerPid: group } : undefined;
  } catch {
    // Gone between the look and the read.
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('semlab grade', () => {
  it('grades the execute_once worker held in every case of the battery (exit 0)', async () => {
    const result = await runSemlab(
      [
        'grade',
        '--worker-cmd',
        `python3 ${join(WORKERS, 'exactly_once.py')}`,
        '--claim',
        'exactly-once',
        '--messages',
        '20',
        '--json',
      ],
      home,
    );
    expect(result.stderr).not.toContain('semlab:');
    expect(result.code).toBe(0);
    const grade = JSON.parse(result.stdout) as {
      held: boolean;
      cases: {
        case: string;
        held: boolean;
        executed: number;
        duplicateExecutions: number;
        lost: number;
        sent: number;
      }[];
      counterexample: unknown;
    };
    expect(grade.held).toBe(true);
    expect(grade.counterexample).toBeNull();
    expect(grade.cases.map((c) => c.case)).toEqual([
      'no-faults',
      'drop-work',
      'drop-ack',
      'slow-ack',
      'crash-after-receive',
      'crash-after-execute',
      'crash-after-mark',
      'crash-before-ack',
      'memory-store',
      'combined',
    ]);
    for (const c of grade.cases) {
      expect(c, c.case).toMatchObject({
        held: true,
        executed: 20,
        duplicateExecutions: 0,
        lost: 0,
      });
    }
    // The faults happened: retries in every faulty case, none without faults.
    expect(grade.cases[0]?.sent).toBe(20);
    for (const c of grade.cases.slice(1)) expect(c.sent, c.case).toBeGreaterThan(20);
  }, 240_000);

  it("breaks the slides' check-then-mark worker at the after-execute crash and shows the epoch (exit 1), the same on a second run", async () => {
    const result = await runSemlab(
      [
        'grade',
        '--worker-cmd',
        `python3 ${join(WORKERS, 'check_then_mark.py')}`,
        '--claim',
        'exactly-once',
        '--messages',
        '20',
        '--cases',
        'drop-ack,crash-after-execute',
      ],
      home,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      'semlab: the worker broke its claim (exactly-once) in 1 of 2 cases',
    );
    const rows = result.stdout.split('\n');
    expect(rows.find((l) => l.startsWith('drop-ack'))).toMatch(
      /^drop-ack\s+held\s+\d+\s+\d+\s+20\s+0\s+0$/,
    );
    expect(rows.find((l) => l.startsWith('crash-after-execute'))).toMatch(
      /^crash-after-execute\s+BROKEN\s+\d+\s+\d+\s+2[1-9]\s+[1-9]\s+0$/,
    );
    expect(result.stdout).toContain('first broken case: crash-after-execute');
    // The offending epoch's life, as semlab trace tells it: the hole of the slides.
    expect(result.stdout).toMatch(
      /epoch \d+ {2}EXECUTED 2× {2}w\d died after executing it and before marking it \(the hole\)/,
    );
    expect(result.stdout).toMatch(/executed by w\d → w\d died \(after-execute\)/);

    // A second grade, as JSON: the very same rows and counterexample (the virtual clock).
    const again = await runSemlab(
      [
        'grade',
        '--worker-cmd',
        `python3 ${join(WORKERS, 'check_then_mark.py')}`,
        '--claim',
        'exactly-once',
        '--messages',
        '20',
        '--cases',
        'drop-ack,crash-after-execute',
        '--json',
      ],
      home,
    );
    expect(again.code).toBe(1);
    const grade = JSON.parse(again.stdout) as {
      held: boolean;
      cases: {
        case: string;
        held: boolean;
        sent: number;
        delivered: number;
        executed: number;
        duplicateExecutions: number;
        lost: number;
      }[];
      counterexample: {
        case: string;
        story: { epoch: number; outcome: string; executions: number };
      };
    };
    expect(grade.held).toBe(false);
    const shown = rows
      .filter((l) => /^(drop-ack|crash-after-execute) /.test(l))
      .map((l) => l.split(/\s+/));
    expect(
      grade.cases.map((c) => [
        c.case,
        c.held ? 'held' : 'BROKEN',
        ...[c.sent, c.delivered, c.executed, c.duplicateExecutions, c.lost].map(String),
      ]),
    ).toEqual(shown);
    expect(grade.counterexample.case).toBe('crash-after-execute');
    expect(grade.counterexample.story).toMatchObject({ outcome: 'duplicate', executions: 2 });
    expect(result.stdout).toContain(`epoch ${grade.counterexample.story.epoch}  EXECUTED 2×`);
  }, 120_000);
});

describe('a worker that breaks the protocol', () => {
  const cases = [
    {
      name: 'prints a line that is not JSON',
      program:
        'import sys\nsys.stdin.readline()\nprint("hello", flush=True)\nsys.stdin.readline()\n',
      line: /^semlab: the worker program of w\d broke the protocol: its line 1 is not JSON: hello$/,
    },
    {
      name: 'acks an epoch it was not given',
      program: [
        'import json, sys',
        'init = json.loads(sys.stdin.readline())',
        'print(json.dumps({"id": 1, "type": "init_ok", "in_reply_to": init["id"]}), flush=True)',
        'work = json.loads(sys.stdin.readline())',
        'print(json.dumps({"id": 2, "type": "ack", "epoch": work["epoch"] + 1000}), flush=True)',
        'sys.stdin.readline()',
        '',
      ].join('\n'),
      line: /^semlab: the worker program of w\d broke the protocol: its line 2 asks 'ack' for epoch 100\d, but the work in hand is epoch \d: /,
    },
    {
      name: 'exits on its own',
      program: [
        'import json, sys',
        'init = json.loads(sys.stdin.readline())',
        'print(json.dumps({"id": 1, "type": "init_ok", "in_reply_to": init["id"]}), flush=True)',
        'sys.stdin.readline()',
        'print("giving up", file=sys.stderr)',
        'sys.exit(3)',
        '',
      ].join('\n'),
      line: /^semlab: the worker program of w\d broke the protocol: it exited on its own \(code 3\) after 1 line; its stderr is in the run folder's worker-logs\/$/,
    },
    {
      name: 'never answers a work message',
      program: [
        'import json, sys',
        'init = json.loads(sys.stdin.readline())',
        'print(json.dumps({"id": 1, "type": "init_ok", "in_reply_to": init["id"]}), flush=True)',
        'for line in sys.stdin: pass',
        '',
      ].join('\n'),
      line: /^semlab: the worker program of w\d broke the protocol: no line within 800 ms after \{"id":2,"type":"work"/,
    },
  ];
  it.each(cases)(
    '$name: one line naming it, exit 2, no process left',
    async ({ program, line }) => {
      const file = join(home, `bad-${Math.random().toString(36).slice(2)}.py`);
      writeFileSync(file, program);
      const result = await runSemlab(
        [
          'run',
          'exactly-once',
          '--worker-cmd',
          `python3 ${file}`,
          '--messages',
          '5',
          '--workers',
          '1',
        ],
        home,
        { SEMLAB_WORKER_ANSWER_MS: '800' },
      );
      expect(result.code).toBe(2);
      const errors = result.stderr.split('\n').filter((l) => l.startsWith('semlab:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(line);
      await until(() => processesWith(file).length === 0, 'the student process to be gone', 5000);
    },
    60_000,
  );
});

/**
 * A correct worker for at-least-once that never leaves on its own: whatever happens to its stdin
 * or stdout (closed, broken), it stays, so only semlab's process-group kill can end it.
 */
const STUBBORN = `import json, sys, time
def main():
    n = 0
    def send(m):
        nonlocal n
        n += 1
        m["id"] = n
        print(json.dumps(m), flush=True)
    init = json.loads(sys.stdin.readline())
    send({"type": "init_ok", "in_reply_to": init["id"]})
    while True:
        work = json.loads(sys.stdin.readline())
        send({"type": "execute", "epoch": work["epoch"]})
        sys.stdin.readline()
        send({"type": "ack", "epoch": work["epoch"]})
        sys.stdin.readline()
try:
    main()
except BaseException:
    pass
while True:
    try:
        time.sleep(3600)
    except BaseException:
        pass
`;

describe("a student's program dies with its semlab worker", () => {
  it('kill -9 of the semlab worker leaves no student process; the run goes on with a new one', async () => {
    // A stubborn student: when its stdin closes it does not exit, so only semlab's process-group
    // kill can end it. The tag makes its processes findable (python ignores the argument).
    const stubborn = join(home, 'stubborn.py');
    writeFileSync(stubborn, STUBBORN);
    const tag = join(home, 'orphan-tag');
    const child = startSemlab(
      [
        'run',
        'at-least-once',
        '--worker-cmd',
        `python3 ${stubborn} ${tag}`,
        '--workers',
        '1',
        '--messages',
        '3000000',
        '--clock',
        'real',
        '--no-live',
      ],
      home,
    );
    const done = finished(child);
    try {
      const python = (): { pid: number; args: string }[] =>
        processesWith(tag).filter((p) => p.args.startsWith('python') || /\/python3? /.test(p.args));
      // A student and its semlab worker, found in one look: the worker-entry process whose
      // process group holds the student. On a loaded machine a student seen a moment ago may
      // already be gone (its worker restarted), so nothing is read from a look but this one.
      let found: { studentPid: number; workerPid: number } | undefined;
      await until(
        () =>
          (found = python()
            .map(withWorker)
            .find((pair) => pair !== undefined)) !== undefined,
        'the student program to start under its semlab worker',
      );
      const { studentPid, workerPid } = found as { studentPid: number; workerPid: number };
      process.kill(workerPid, 'SIGKILL');
      await until(() => !alive(studentPid), 'the orphaned student to die', 5000);
      // The supervisor restarted the worker, and with it a new student program.
      await until(() => python().some((p) => p.pid !== studentPid), 'a new student program');
    } finally {
      // Also when a step above failed: semlab stops its run and every process of it.
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    await until(() => processesWith(tag).length === 0, 'every student process to be gone', 5000);
  }, 60_000);
});

/** Executes its work and never acks it: it waits for the next work, which never comes. */
const SKIPS_ACK = `import json, sys
def send(m, n=[0]):
    n[0] += 1
    m["id"] = n[0]
    print(json.dumps(m), flush=True)
init = json.loads(sys.stdin.readline())
send({"type": "init_ok", "in_reply_to": init["id"]})
for line in sys.stdin:
    work = json.loads(line)
    if work["type"] == "work":
        send({"type": "execute", "epoch": work["epoch"]})
`;

describe('a worker that skips the ack', () => {
  it('is graded broken with one line naming the reply it left unanswered (exit 1), no process left', async () => {
    const file = join(home, `skips-ack-${Math.random().toString(36).slice(2)}.py`);
    writeFileSync(file, SKIPS_ACK);
    const result = await runSemlab(
      [
        'grade',
        '--worker-cmd',
        `python3 ${file}`,
        '--claim',
        'at-least-once',
        '--messages',
        '5',
        '--cases',
        'no-faults,drop-ack',
        '--json',
      ],
      home,
      { SEMLAB_WORKER_ANSWER_MS: '800' },
    );
    expect(result.code, result.stderr).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('semlab:'));
    expect(errors).toHaveLength(1);
    // Its last line was the execute; semlab's execute_ok went unanswered: the missing ack.
    expect(errors[0]).toMatch(
      /^semlab: the worker program of w\d broke the protocol: no line within 800 ms after \{"id":\d+,"in_reply_to":2,"type":"execute_ok"\}$/,
    );
    const grade = JSON.parse(result.stdout) as {
      held: boolean;
      cases: unknown[];
      protocolError: { case: string; message: string };
    };
    // The first case ends the grade: no row, the verdict is the protocol error of that case.
    expect(grade).toMatchObject({ held: false, cases: [], protocolError: { case: 'no-faults' } });
    expect(grade.protocolError.message).toContain('no line within 800 ms');
    await until(() => processesWith(file).length === 0, 'the student process to be gone', 5000);
  }, 60_000);
});
