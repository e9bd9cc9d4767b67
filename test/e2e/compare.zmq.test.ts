import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEMANTICS_NAMES } from '../../src/core/semantics.js';
import type { RunReport } from '../../src/report/run-report.js';
import { makeSemlabHome, runJson, runSemlab } from '../support/semlab.js';

/** The fields that must agree between a compare row and the same run alone. */
const COUNTS = [
  'sent',
  'retries',
  'delivered',
  'executed',
  'duplicateExecutions',
  'acked',
  'lost',
] as const;

describe('semlab compare', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it(
    'puts all five presets side by side, and each row agrees with running that preset alone',
    { timeout: 240_000 },
    async () => {
      const { code, stdout } = await runSemlab(
        ['compare', 'ack-loss', '--semantics', 'all', '--json'],
        home,
      );
      expect(code).toBe(0);
      const rows = JSON.parse(stdout) as RunReport[];
      expect(rows.map((r) => r.semantics)).toEqual([...SEMANTICS_NAMES]);
      expect(new Set(rows.map((r) => r.seed))).toEqual(new Set([7]));
      for (const row of rows) {
        // ack-loss: seed 7, 3 workers, 100 messages, one ack in five dropped.
        const alone = await runJson(
          [
            'run',
            row.semantics,
            '--seed',
            '7',
            '--workers',
            '3',
            '--messages',
            '100',
            '--timeout',
            '1000',
            '--drop-ack',
            '0.2',
          ],
          home,
        );
        for (const field of COUNTS)
          expect({ [field]: alone[field] }).toEqual({ [field]: row[field] });
      }
      // The lesson itself: only at-least-once executes twice.
      expect(rows.filter((r) => r.duplicateExecutions > 0).map((r) => r.semantics)).toEqual([
        'at-least-once',
      ]);
    },
  );

  it('prints one table with a row per preset', async () => {
    const { code, stdout } = await runSemlab(
      ['compare', '--drop-work', '0.2', '--seed', '3'],
      home,
    );
    expect(code).toBe(0);
    const rows = stdout
      .split('\n')
      .filter((line) => SEMANTICS_NAMES.some((name) => line.startsWith(name + ' ')));
    expect(rows).toHaveLength(5);
    expect(stdout).toMatch(
      /semantics\s+sent\s+retries\s+deliv\s+exec\s+dup\s+acked\s+lost\s+verdict/,
    );
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('scenario files from the command line', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it('lets flags override scenario fields', async () => {
    const { code, stdout } = await runSemlab(
      ['run', 'ack-loss', '--seed', '9', '--workers', '5', '--json'],
      home,
    );
    expect(code).toBe(0);
    const reports = JSON.parse(stdout) as RunReport[];
    expect(reports.map((r) => [r.semantics, r.seed, r.workers])).toEqual([
      ['at-least-once', 9, 5],
      ['exactly-once', 9, 5],
    ]);
  });

  it('exits 1 and says which field missed, and by how much, when an expect block is not met', async () => {
    const file = join(home, 'impossible.yaml');
    writeFileSync(
      file,
      [
        'name: impossible',
        'title: Expects at-least-once to lose nothing and duplicate nothing under ack loss',
        'description: A wrong expectation, on purpose.',
        'semantics: at-least-once',
        'seed: 7',
        'faults:',
        '  - { type: drop, direction: ack, probability: 0.2 }',
        'expect:',
        '  at-least-once: { lost: 0, duplicateExecutions: 0 }',
        '',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await runSemlab(['run', file], home);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /expect: duplicateExecutions 0 ✗ got (\d+): \1 more than expected · lost 0 ✓ \(0\)/,
    );
    expect(stderr).toMatch(
      /at-least-once over zmq: duplicateExecutions expected 0, got (\d+) \(\1 more than expected\)/,
    );
  });

  it('rejects a broken scenario file with file, line and field, exit 2, before running anything', async () => {
    const file = join(home, 'broken.yaml');
    writeFileSync(
      file,
      'name: broken\ntitle: t\ndescription: d\nsemantics: at-least-once\nfaults:\n  - { type: drop, direction: acks, probability: 0.2 }\n',
    );
    const { code, stderr } = await runSemlab(['run', file], home);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `semlab: ${file}:6: faults[0].direction: 'acks' is not one of work, ack; did you mean 'ack'?`,
    );
  });

  it('lists the bundled scenarios with a one-line summary', async () => {
    const { code, stdout } = await runSemlab(['scenarios'], home);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ack-loss\s+Lost acks turn retries into duplicates$/m);
    expect(stdout).toMatch(/^dedupe-hole\s+/m);
  });
});
