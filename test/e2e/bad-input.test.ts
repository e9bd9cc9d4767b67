import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { makeSemlabHome, runFolders, runSemlab } from '../support/semlab.js';

/** The start of every ANSI escape sequence (colour, cursor movement). */
const ESCAPE = `${String.fromCharCode(27)}[`;

describe('bad input: one line on stderr, exit 2, nothing run', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  const cases: [string, string[], RegExp][] = [
    [
      'unknown semantics lists the valid ones',
      ['run', 'exactly-twice'],
      /unknown semantics or scenario 'exactly-twice'.*valid semantics: at-most-once, at-least-once, exactly-once, exactly-once-atomic, at-most-once-execution; scenarios: ack-loss,/,
    ],
    [
      'a misspelt semantics gets a suggestion',
      ['run', 'at-least-onse'],
      /did you mean 'at-least-once'\?/,
    ],
    [
      'a probability above 1',
      ['run', 'at-least-once', '--drop-ack', '1.5'],
      /--drop-ack: '1.5' is not a probability; use a number from 0 to 1/,
    ],
    [
      'a negative probability',
      ['run', 'at-least-once', '--drop-work', '-0.1'],
      /--drop-work: '-0.1' is not a probability/,
    ],
    [
      'a probability that is not a number',
      ['run', 'at-least-once', '--drop-work', 'lots'],
      /--drop-work: 'lots' is not a probability/,
    ],
    [
      '--crash without @K',
      ['run', 'at-least-once', '--crash', 'after-execute'],
      /--crash: 'after-execute' is not POINT@K/,
    ],
    [
      '--crash at an unknown point',
      ['run', 'at-least-once', '--crash', 'after-lunch@3'],
      /--crash: 'after-lunch' is not a crash point; valid: after-receive, after-mark, after-execute, before-ack/,
    ],
    [
      '--crash every 0th epoch',
      ['run', 'at-least-once', '--crash', 'after-execute@0'],
      /--crash: '0' is not allowed; use a whole number from 1/,
    ],
    [
      '--workers 0',
      ['run', 'at-least-once', '--workers', '0'],
      /--workers: '0' is not allowed; use a whole number from 1 to 64/,
    ],
    [
      '--messages that is not a number',
      ['run', 'at-least-once', '--messages', 'many'],
      /--messages: 'many' is not allowed/,
    ],
    [
      'a Kafka flag on another transport',
      ['run', 'at-least-once', '--kafka-mode', 'native'],
      /--kafka-mode needs --transport kafka \(this run uses zmq\)/,
    ],
    [
      'an unknown Kafka mode',
      ['run', 'at-least-once', '--transport', 'kafka', '--kafka-mode', 'nativ'],
      /--kafka-mode: 'nativ' is not one of dispatcher, native; did you mean 'native'\?/,
    ],
    [
      "the virtual clock on Kafka native mode, whose redelivery is the broker's",
      [
        'run',
        'at-least-once',
        '--transport',
        'kafka',
        '--kafka-mode',
        'native',
        '--clock',
        'virtual',
      ],
      /--clock virtual needs a transport the dispatcher routes \(zmq, redis lists, or kafka in dispatcher mode\); kafka native mode decides delivery by itself/,
    ],
    [
      'an unknown transport',
      ['run', 'at-least-once', '--transport', 'pigeon'],
      /unknown transport 'pigeon'; available: zmq, redis, kafka/,
    ],
    [
      'an unknown store',
      ['run', 'exactly-once', '--store', 'sqlit'],
      /--store: 'sqlit' is not one of sqlite, memory, redis; did you mean 'sqlite'\?/,
    ],
    ['an unknown option', ['run', 'at-least-once', '--colour'], /unknown option '--colour'/],
    [
      'grade on a transport without the virtual clock',
      ['grade', '--worker-cmd', 'python3 w.py', '--claim', 'exactly-once', '--transport', 'kafak'],
      /--transport: 'kafak' is not one of zmq, redis, kafka; did you mean 'kafka'\?/,
    ],
    [
      'grade with a Kafka flag over ZeroMQ',
      [
        'grade',
        '--worker-cmd',
        'python3 w.py',
        '--claim',
        'exactly-once',
        '--kafka-brokers',
        'h:1',
      ],
      /--kafka-brokers needs --transport kafka/,
    ],
  ];

  for (const [name, args, message] of cases) {
    it(name, async () => {
      const { code, stdout, stderr } = await runSemlab(args, home);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(runFolders(home)).toEqual([]);
    });
  }
});

describe('output for people and for scripts', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it('prints a table with no escape codes when piped, even without NO_COLOR', async () => {
    const { code, stdout } = await runSemlab(
      ['run', 'at-least-once', '--seed', '5', '--drop-ack', '0.1'],
      home,
      {
        NO_COLOR: '',
      },
    );
    expect(code).toBe(0);
    expect(stdout).not.toContain(ESCAPE);
    expect(stdout).toMatch(/duplicate executions/);
    expect(stdout).toMatch(/verdict: HELD/);
    expect(stdout).toMatch(/drop ack 10% \(\d+ injected\)/);
  });

  it('prints colour when FORCE_COLOR asks for it, even piped', async () => {
    const forced = await runSemlab(['run', 'at-least-once', '--seed', '5'], home, {
      FORCE_COLOR: '1',
      NO_COLOR: '',
    });
    expect(forced.stdout).toContain(ESCAPE);
  });

  it('--json prints exactly one JSON object with the documented fields', async () => {
    const { code, stdout } = await runSemlab(
      ['run', 'at-most-once', '--drop-work', '0.1', '--seed', '9', '--json'],
      home,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    for (const field of [
      'semantics',
      'transport',
      'workers',
      'seed',
      'messages',
      'sent',
      'retries',
      'delivered',
      'duplicateDeliveries',
      'executed',
      'duplicateExecutions',
      'acked',
      'lost',
      'verdict',
      'faults',
      'perWorker',
      'durationMs',
      'throughput',
    ]) {
      expect(report).toHaveProperty(field);
    }
    expect(report.verdict).toEqual({
      promise: 'never twice; may lose',
      held: true,
      reason: expect.stringMatching(/lost: at-most-once allows this/),
    });
  });

  it('--events writes the merged journal of the run, in time order', async () => {
    const file = join(home, 'events.jsonl');
    const { code, stdout } = await runSemlab(
      ['run', 'at-least-once', '--drop-ack', '0.2', '--seed', '7', '--events', file, '--json'],
      home,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RunReport;
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { t: number; kind: string });
    const times = events.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const count = (kind: string): number => events.filter((e) => e.kind === kind).length;
    expect(count('send')).toBe(report.sent);
    expect(count('receive')).toBe(report.delivered);
    expect(count('execute')).toBe(report.executed);
    expect(count('fault')).toBe(report.faults[0]?.injected);
    expect(count('fault')).toBeGreaterThan(0);
  });
});
