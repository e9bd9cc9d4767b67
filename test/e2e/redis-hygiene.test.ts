import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  runJson,
  runSemlab,
  startSemlab,
  until,
} from '../support/semlab.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('Redis hygiene and failures', () => {
  const { home, cleanup } = makeSemlabHome();
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    redis.disconnect();
    cleanup();
  });

  const runKeys = async (runId: string): Promise<string[]> => redis.keys(`semlab:${runId}:*`);

  it('leaves an unrelated key untouched and no key of the run behind', async () => {
    // A database of its own: other test files use the suite's Redis at the same time, and the
    // count of keys below must see this run's keys and no one else's.
    const url = `${inject('redisUrl')}/11`;
    const own = new Redis(url);
    try {
      await own.flushdb();
      await own.set('unrelated:key', 'keep me');
      const report = await runJson(
        [
          'run',
          'exactly-once-atomic',
          '--transport',
          'redis',
          '--store',
          'redis',
          '--redis-url',
          url,
          '--drop-ack',
          '0.2',
          '--seed',
          '4',
        ],
        home,
      );
      expect(report.lost).toBe(0);
      expect(report.duplicateExecutions).toBe(0);
      expect(await own.get('unrelated:key')).toBe('keep me');
      expect(await own.keys(`semlab:${report.runId}:*`)).toEqual([]);
      // Nothing under any other name either: the unrelated key is the database's only key.
      expect(await own.dbsize()).toBe(1);
    } finally {
      own.disconnect();
    }
  });

  it('--keep leaves the run keys for inspection with redis-cli', async () => {
    const report = await runJson(
      ['run', 'exactly-once', '--store', 'redis', '--keep', '--seed', '4'],
      home,
    );
    const keys = await runKeys(report.runId);
    expect(keys.filter((key) => key.includes(':mark:'))).toHaveLength(100);
    await redis.unlink(...keys);
  });

  it('deletes the run keys after SIGINT mid-run too', async () => {
    await redis.set('unrelated:key', 'keep me');
    const child = startSemlab(
      ['run', 'exactly-once', '--transport', 'redis', '--store', 'redis', '--messages', '1000000'],
      home,
    );
    const result = finished(child);
    const before = new Set(runFolders(home));
    await until(() => runFolders(home).some((dir) => !before.has(dir)), 'the run folder');
    const runDir = runFolders(home).find((dir) => !before.has(dir)) as string;
    const runId = runDir.split('/').at(-1) as string;
    await until(
      () =>
        existsSync(join(runDir, 'journal', 'w1.0.jsonl')) &&
        readFileSync(join(runDir, 'journal', 'w1.0.jsonl'), 'utf8').length > 2000,
      'w1 to be busy',
    );
    expect((await runKeys(runId)).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const { code } = await result;
    expect(code).toBe(130);
    expect(await runKeys(runId)).toEqual([]);
    expect(await redis.get('unrelated:key')).toBe('keep me');
  });

  it('fails within 3 seconds with exit 3, naming the URL and how to start Redis, when nothing listens', async () => {
    const started = Date.now();
    const { code, stderr, stdout } = await runSemlab(
      ['run', 'at-least-once', '--transport', 'redis', '--redis-url', 'redis://127.0.0.1:1'],
      home,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /cannot use Redis at redis:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\); start one with `scripts\/services up redis`/,
    );
  });

  it('fails fast too when the address accepts connections but never answers, saying it stopped answering', async () => {
    // The suite's Redis port speaks RESP; a ZeroMQ dispatcher's port does not. Use an HTTP-less
    // TCP listener of our own: a server that accepts and never answers.
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const { code, stderr } = await runSemlab(
      ['run', 'exactly-once', '--store', 'redis', '--redis-url', `redis://127.0.0.1:${port}`],
      home,
    );
    silent.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).toBe(3);
    // It accepted the connection: not "start one", but a server that stopped answering.
    expect(stderr.trim()).toBe(
      `semlab: Redis at redis://127.0.0.1:${port} stopped answering: it accepts connections but replied to nothing within 2 s (a frozen or overloaded server)`,
    );
  });

  it('a TTL shorter than the retry horizon lets duplicates through; a longer one does not', async () => {
    const args = [
      'run',
      'exactly-once',
      '--store',
      'redis',
      '--delay-ack',
      '400@0.2',
      '--timeout',
      '200',
      '--seed',
      '8',
    ];
    const short: RunReport = await runJson([...args, '--dedupe-ttl', '50'], home);
    const long: RunReport = await runJson([...args, '--dedupe-ttl', '60000'], home);
    expect(short.duplicateExecutions).toBeGreaterThan(0);
    expect(long.duplicateExecutions).toBe(0);
    expect(long.retries).toBeGreaterThan(0);
  });
});
