import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { Screen } from '../support/screen.js';
import { lessonPart, makeSemlabHome, runFolders, runJson } from '../support/semlab.js';

type Line = Record<string, unknown>;

function journal(path: string): Line[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

describe('the live view freezes (z) and cuts off (x) a chosen worker, then its number', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const env = { ...process.env, SEMLAB_HOME: home, NO_COLOR: '1', LANG: 'C' } as NodeJS.ProcessEnv;
  delete env.LC_ALL;

  it(
    'z 2 stops w2 for real, z 2 continues it; counted, journalled, and replayed identically',
    { timeout: 120_000 },
    async () => {
      const screen = new Screen(
        ['run', 'at-least-once', '--messages', '20000', '--seed', '3'],
        env,
      );
      try {
        let at = await screen.waitFor(/sent [1-9]/);
        screen.type('z');
        screen.type('2');
        at = await screen.waitFor(/w2 frozen/, at);
        screen.type('z');
        screen.type('2');
        await screen.waitFor(/w2 running/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }
      const recorded = runFolders(home).sort().at(-1) as string;
      const original = JSON.parse(readFileSync(join(recorded, 'report.json'), 'utf8')) as RunReport;
      expect(original.faults).toContainEqual(
        expect.objectContaining({ type: 'live', action: 'freeze-worker', injected: 1 }),
      );
      const supervisor = journal(join(recorded, 'journal', 'supervisor.jsonl'));
      const stop = supervisor.find((e) => e.kind === 'worker-stop');
      expect(stop).toMatchObject({ worker: 'w2', live: true });
      expect(supervisor.some((e) => e.kind === 'worker-cont' && e.pid === stop?.pid)).toBe(true);
      const freezes = journal(join(recorded, 'journal', 'dispatcher.jsonl')).filter(
        (e) => e.kind === 'live-freeze',
      );
      expect(freezes.map((e) => e.on)).toEqual([true, false]);
      expect(original.consistency.ok).toBe(true);
      expect(original.lost).toBe(0);

      const replayed = await runJson(['run', '--replay', original.runId], home);
      expect(lessonPart(replayed)).toEqual(lessonPart(original));
    },
  );

  it(
    'x 2 cuts w2 off (its messages lost, journalled live) and x 2 heals it; replayed identically',
    { timeout: 120_000 },
    async () => {
      const screen = new Screen(
        ['run', 'at-least-once', '--messages', '20000', '--seed', '4'],
        env,
      );
      try {
        let at = await screen.waitFor(/sent [1-9]/);
        screen.type('x');
        screen.type('2');
        at = await screen.waitFor(/lost: w2 cut off \(live\)/, at);
        screen.type('x');
        screen.type('2');
        await screen.waitFor(/cutting w2 off, or reconnecting it/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }
      const recorded = runFolders(home).sort().at(-1) as string;
      const original = JSON.parse(readFileSync(join(recorded, 'report.json'), 'utf8')) as RunReport;
      const dispatcher = journal(join(recorded, 'journal', 'dispatcher.jsonl'));
      const cutLost = dispatcher.filter((e) => e.kind === 'fault' && e.fault === 'partition');
      expect(cutLost.length).toBeGreaterThan(0);
      expect(cutLost.every((e) => e.worker === 'w2' && e.live === true)).toBe(true);
      expect(original.faults).toContainEqual(
        expect.objectContaining({ type: 'live', action: 'cut-worker', injected: cutLost.length }),
      );
      expect(dispatcher.filter((e) => e.kind === 'live-cut').map((e) => e.on)).toEqual([
        true,
        false,
      ]);
      // At-least-once resends what the cut took: nothing lost.
      expect(original.lost).toBe(0);
      expect(original.consistency.ok).toBe(true);
      const replayed = await runJson(['run', '--replay', original.runId], home);
      expect(lessonPart(replayed)).toEqual(lessonPart(original));
    },
  );
});
