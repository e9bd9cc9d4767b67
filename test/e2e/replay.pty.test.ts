import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';
import { Screen } from '../support/screen.js';
import { lessonPart, makeSemlabHome, runFolders, runJson } from '../support/semlab.js';

describe('semlab run --replay: a rehearsed demo, shown again identically', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const env = { ...process.env, SEMLAB_HOME: home, NO_COLOR: '1', LANG: 'C' } as NodeJS.ProcessEnv;
  delete env.LC_ALL;

  it(
    'a live run with two keystroke kills and a drop toggle, replayed, gives the same report',
    { timeout: 120_000 },
    async () => {
      const screen = new Screen(
        ['run', 'at-least-once', '--messages', '20000', '--seed', '3', '--restart-delay', '50'],
        env,
      );
      try {
        let at = await screen.waitFor(/sent [1-9]/);
        screen.type('1');
        at = await screen.waitFor(/w1 died \(killed from the live view\)/, at);
        screen.type('d');
        at = await screen.waitFor(/work of \d+ dropped \(live\)/, at);
        screen.type('2');
        at = await screen.waitFor(/w2 died \(killed from the live view\)/, at);
        screen.type('d');
        await screen.waitFor(/drop work off/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }
      const recorded = runFolders(home).sort().at(-1) as string;
      const original = JSON.parse(readFileSync(join(recorded, 'report.json'), 'utf8')) as RunReport;
      // The keys really acted: two kills and some dropped work, all journalled as live faults.
      const live = original.faults.filter((f) => f.type === 'live');
      expect(live).toContainEqual(expect.objectContaining({ action: 'crash-worker', injected: 2 }));
      const drops = live.find((f) => 'action' in f && f.action === 'drop-work');
      expect(drops?.injected).toBeGreaterThan(0);
      expect(original.clock).toBe('virtual');

      const replayed = await runJson(['run', '--replay', original.runId], home);
      expect(replayed.runId).not.toBe(original.runId);
      expect(lessonPart(replayed)).toEqual(lessonPart(original));
    },
  );

  it('refuses to replay a run on the real clock, in one line', async () => {
    const real = await runJson(
      ['run', 'at-least-once', '--clock', 'real', '--messages', '20'],
      home,
    );
    const { runSemlab } = await import('../support/semlab.js');
    const result = await runSemlab(['run', '--replay', real.runId], home);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^semlab: .*real clock/);
  });
});
