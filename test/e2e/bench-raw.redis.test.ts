import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { measureRawRedis } from '../../src/bench/raw-redis.js';

type Line = { kind: string; epoch: number; attempt: number; worker?: string; vt?: number };

const linesOf = (path: string): Line[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

/**
 * The bench's raw Redis loop, and the same loop writing semlab's journal lines (the "raw, with
 * semlab's journals" figure, src/bench/raw-journal.ts): the lines must be the ones a semlab run
 * writes for the same messages, or the figure would not be the ceiling it claims to be.
 */
describe("the bench's raw Redis loop", () => {
  // A database of its own, so the check for leftover keys sees only this file's.
  const url = `${inject('redisUrl')}/12`;
  const dir = mkdtempSync(join(tmpdir(), 'semlab-raw-journal-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a dispatcher's and each worker's lines for every message, and leaves no key", async () => {
    const messages = 2000;
    const result = await measureRawRedis({ workers: 3, messages, window: 30 }, url, dir);
    expect(result.throughput).toBeGreaterThan(0);

    const dispatcher = linesOf(join(dir, 'dispatcher.jsonl'));
    const sends = dispatcher.filter((line) => line.kind === 'send');
    const acks = dispatcher.filter((line) => line.kind === 'ack');
    expect(sends.map((line) => line.epoch)).toEqual(
      Array.from({ length: messages }, (_, i) => i + 1),
    );
    expect(acks.map((line) => line.epoch).sort((a, b) => a - b)).toEqual(
      sends.map((line) => line.epoch),
    );
    expect(dispatcher.every((line) => line.attempt === 1 && line.vt === 405)).toBe(true);

    const workerFiles = readdirSync(dir).filter((name) => name !== 'dispatcher.jsonl');
    expect(workerFiles.sort()).toEqual(['w1.0.jsonl', 'w2.0.jsonl', 'w3.0.jsonl']);
    const executed: number[] = [];
    for (const file of workerFiles) {
      const worker = file.slice(0, file.indexOf('.'));
      const lines = linesOf(join(dir, file));
      // receive, execute, reply for each message, in that order, as a semlab worker's burst path.
      expect(lines.length % 3).toBe(0);
      for (let i = 0; i < lines.length; i += 3) {
        const [receive, execute, reply] = lines.slice(i, i + 3) as [Line, Line, Line];
        expect([receive.kind, execute.kind, reply.kind]).toEqual(['receive', 'execute', 'reply']);
        expect(new Set([receive.epoch, execute.epoch, reply.epoch]).size).toBe(1);
        expect(receive.worker).toBe(worker);
        executed.push(execute.epoch);
      }
      // Each ack line names the worker that executed the message.
      const mine = new Set(lines.map((line) => line.epoch));
      for (const ack of acks) if (mine.has(ack.epoch)) expect(ack.worker).toBe(worker);
    }
    expect(executed.sort((a, b) => a - b)).toEqual(sends.map((line) => line.epoch));

    const redis = new Redis(url);
    try {
      expect(await redis.keys('semlab-bench:*')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
