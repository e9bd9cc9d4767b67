import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { exited, forkBenchEntry, nextMessage, stop } from '../../src/bench/children.js';
import { measureOwnWork } from '../../src/bench/own-work.js';

const ownWorkDirs = (): string[] =>
  readdirSync(tmpdir()).filter((name) => name.startsWith('semlab-own-work-'));

/**
 * The bench's "semlab's own work, no transport" figures (src/bench/own-work-main.ts): each part
 * must really run a whole load (the dispatcher settles every message, the worker acks every one)
 * and leave no journal behind. Timing itself is never asserted.
 */
describe("the bench's own-work measurement", () => {
  it('runs the dispatcher and a worker over a whole load and leaves nothing behind', async () => {
    const before = ownWorkDirs();
    const lines: string[] = [];
    const report = await measureOwnWork({ workers: 2, messages: 3000, window: 20 }, 1, (line) =>
      lines.push(line),
    );
    for (const value of [report.dispatcherUs, report.workerUs]) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^run 1\/1: semlab's own work, no transport: dispatcher \d/);
    expect(ownWorkDirs()).toEqual(before);
  });

  it('takes its journals with it when the bench stops it mid-measurement', async () => {
    const before = ownWorkDirs();
    const child = forkBenchEntry('own-work-main.js', ['dispatcher', '50000000', '4', '100']);
    const exit = exited(child);
    // Its run folder exists once it measures: poll for it, then stop it as the bench does.
    const deadline = Date.now() + 30_000;
    while (ownWorkDirs().length === before.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ownWorkDirs().length).toBe(before.length + 1);
    await stop(child);
    expect(await exit).toBe('exit code 143');
    expect(ownWorkDirs()).toEqual(before);
  });

  it('refuses a load it cannot run, with the reason, instead of a figure', async () => {
    const child = forkBenchEntry('own-work-main.js', ['worker', '0', '2', '20']);
    await expect(nextMessage(child, 'own-work', 30_000, 'own work')).rejects.toThrow(
      /usage: own-work-main/,
    );
  });
});
