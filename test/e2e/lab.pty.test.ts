import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.js';
import { COURSE_ORDER } from '../../src/scenario/course.js';
import { Screen } from '../support/screen.js';
import { makeSemlabHome, runFolders, SEMLAB_BIN } from '../support/semlab.js';

describe('the interactive lab, through a real pseudo-terminal', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const env = { ...process.env, SEMLAB_HOME: home, NO_COLOR: '1', LANG: 'C' } as NodeJS.ProcessEnv;
  delete env.LC_ALL;

  /** A stand-in for the desktop's opener, first on PATH: it writes down the file it was given. */
  function fakeOpener(): { env: NodeJS.ProcessEnv; opened: string } {
    const bin = join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    const opened = join(home, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    return { env: { ...env, PATH: `${bin}:${env.PATH ?? ''}` }, opened };
  }

  async function until(ready: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(
    'picks a lesson, runs it, crashes a worker and drops work with keys, stops the run, and quits',
    { timeout: 120_000 },
    async () => {
      const opener = fakeOpener();
      const screen = new Screen([], opener.env);
      try {
        let at = await screen.waitFor(/lesson number, b or q:/);
        // Every lesson by name, two columns, in the course's order.
        expect(screen.shown).toMatch(/ 1 +no-faults +\d+ +/);
        const lesson = COURSE_ORDER.indexOf('no-faults') + 1;
        screen.type(`${lesson}\r`);
        // The lesson's five runs of 100 messages, then the menu after a run.
        at = await screen.waitFor(/r, k, c or m:/, at);
        expect(screen.shown.slice(0, at)).toMatch(/at-most-once-execution over zmq/);
        // One line names the lesson's report (its runs compared), kept in the last run's folder;
        // o opens it with the desktop's opener.
        const named = /report \(the key o opens it\):\s+(\S+compare\.html)/.exec(
          screen.shown.slice(0, at),
        );
        const page = named?.[1] as string;
        expect(page.startsWith(runFolders(home).sort().at(-1) as string)).toBe(true);
        expect(readFileSync(page, 'utf8')).toMatch(/^<!doctype html>/i);
        screen.type('o');
        at = await screen.waitFor(/opening\s+\S+compare\.html\s+with\s+\S+xdg-open/, at);
        await until(() => existsSync(opener.opened), 'the opener');
        expect(readFileSync(opener.opened, 'utf8')).toBe(page);
        at = await screen.waitFor(/r, k, c or m:/, at);
        // One knob, a single key: a run long enough to press keys in.
        screen.type('k');
        at = await screen.waitFor(/flag and value:/, at);
        screen.type('--messages 2000000\r');
        at = await screen.waitFor(/keys: c crash a worker/, at);
        at = await screen.waitFor(/sent [1-9]/, at);
        screen.type('c');
        at = await screen.waitFor(/killed w\d/, at);
        await screen.waitFor(/w\d died \(killed from the live view\)/, at);
        screen.type('d');
        at = await screen.waitFor(/drop work ON/, at);
        await screen.waitFor(/\(live\)/, at);
        screen.type('q');
        at = await screen.waitFor(/run stopped/, at);
        const menuAt = await screen.waitFor(/r, k, c or m:/, at);
        // The counts so far, marked partial: work was sent, and far from all of it settled.
        const stopped =
          /run stopped, partial counts so far: (\d+)\/2000000 settled · sent (\d+) · delivered (\d+) · executed (\d+) · lost (\d+)/.exec(
            screen.shown.slice(at, menuAt).replace(/\r?\n\s*/g, ' '),
          );
        expect(stopped, screen.shown.slice(at, menuAt)).not.toBeNull();
        const [settled, sent, delivered, executed] = (stopped ?? []).slice(1).map(Number);
        expect(sent).toBeGreaterThan(0);
        expect(executed).toBeGreaterThan(0);
        expect(delivered).toBeLessThanOrEqual(sent as number);
        expect(settled).toBeLessThan(2000000);
        screen.type('m');
        at = await screen.waitFor(/lesson number, b or q:/, at);
        // q is a single key: no Enter.
        screen.type('q');
        await screen.waitFor(/bye/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }

      // The live actions are in the stopped run's journals, like any fault.
      const newest = runFolders(home).sort().at(-1) as string;
      const events = readdirSync(join(newest, 'journal')).flatMap((file) =>
        readFileSync(join(newest, 'journal', file), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as JournalEvent),
      );
      const kills = events.filter((e) => e.kind === 'live-crash');
      expect(kills).toHaveLength(1);
      const killed = kills[0]?.kind === 'live-crash' ? kills[0] : undefined;
      expect(
        events.some(
          (e) => e.kind === 'worker-exit' && e.worker === killed?.worker && e.signal === 'SIGKILL',
        ),
      ).toBe(true);
      expect(events).toContainEqual(
        expect.objectContaining({ kind: 'live', switch: 'drop-work', on: true }),
      );
      expect(
        events.some((e) => e.kind === 'fault' && e.live === true && e.direction === 'work'),
      ).toBe(true);
    },
  );

  it(
    'a finished run on a terminal lists its live actions with the faults',
    { timeout: 60_000 },
    async () => {
      const screen = new Screen(
        ['run', 'at-least-once', '--messages', '200000', '--seed', '5'],
        env,
      );
      try {
        let at = await screen.waitFor(/sent [1-9]/);
        screen.type('a');
        at = await screen.waitFor(/drop acks ON/, at);
        await screen.waitFor(/ack of \d+ dropped \(live\)/, at);
        screen.type('a');
        await screen.waitFor(/drop acks off/, at);
        expect(await screen.exited).toBe(0);
        expect(screen.shown).toMatch(/faults: live: drop acks 30% \(key a\) \(\d+ injected\)/);
        expect(screen.shown).toMatch(/retries +│ +[1-9]/);
      } finally {
        screen.kill();
      }
    },
  );

  it(
    '--no-live on a terminal: plain progress lines, no keys; no escape codes at all with NO_COLOR',
    { timeout: 60_000 },
    async () => {
      const screen = new Screen(['run', 'at-least-once', '--messages', '30000', '--no-live'], env);
      try {
        expect(await screen.exited).toBe(0);
        expect(screen.raw).not.toContain('\x1b');
        expect(screen.shown).toMatch(
          /^at-least-once: \d+\/30000 settled, \d+ sent, \d+ acked, \d+ in flight\r?$/m,
        );
        expect(screen.shown).toMatch(/verdict: HELD/);
      } finally {
        screen.kill();
      }
      // The same run on the same terminal without NO_COLOR is coloured: NO_COLOR took it away.
      const coloured = new Screen(['run', 'at-least-once', '--messages', '300', '--no-live'], {
        ...env,
        NO_COLOR: '',
      });
      try {
        expect(await coloured.exited).toBe(0);
        // eslint-disable-next-line no-control-regex -- the escape code is what is looked for
        expect(coloured.raw).toMatch(/\x1b\[[0-9;]*m/);
      } finally {
        coloured.kill();
      }
    },
  );

  it('prints help instead of waiting for keys when there is no terminal', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [SEMLAB_BIN], { env, input: '', encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: semlab \[options\] \[command\]/);
    expect(result.stdout).toMatch(/lab +the interactive lab/);
  });
});

describe('the lab builds a run with your own worker program', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const env = { ...process.env, SEMLAB_HOME: home, NO_COLOR: '1', LANG: 'C' } as NodeJS.ProcessEnv;
  delete env.LC_ALL;
  const workers = join(import.meta.dirname, '../../examples/workers');

  it(
    'b: the slides\' worker breaks exactly-once at a crash after execute; k --worker-cmd "…" swaps in a correct one',
    { timeout: 90_000 },
    async () => {
      const screen = new Screen([], env);
      try {
        let at = await screen.waitFor(/lesson number, b or q:/);
        // b is a single key: no Enter.
        screen.type('b');
        at = await screen.waitFor(/semantics number \[2\]:/, at);
        screen.type('3\r');
        at = await screen.waitFor(/transport \(.*\) \[zmq\]:/, at);
        screen.type('\r');
        at = await screen.waitFor(/workers \[\d+\]:/, at);
        screen.type('1\r');
        at = await screen.waitFor(/messages \[\d+\]:/, at);
        screen.type('20\r');
        at = await screen.waitFor(/faults:/, at);
        screen.type('--crash after-execute@5 --seed 1\r');
        at = await screen.waitFor(/your worker program/, at);
        screen.type(`python3 ${join(workers, 'check_then_mark.py')}\r`);
        let end = await screen.waitFor(/r, k, c or m:/, at);
        expect(screen.shown.slice(at, end)).toMatch(/verdict: BROKEN/);
        // A knob with a quoted command line: one flag, one value.
        screen.type('k\r');
        at = await screen.waitFor(/flag and value:/, end);
        screen.type(`--worker-cmd "node ${join(workers, 'exactly_once.mjs')}"\r`);
        end = await screen.waitFor(/r, k, c or m:/, at);
        expect(screen.shown.slice(at, end)).toMatch(/verdict: HELD/);
        screen.type('m\r');
        at = await screen.waitFor(/lesson number, b or q:/, end);
        screen.type('q');
        await screen.waitFor(/bye/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }
      // The two runs ran the programs typed, with the built run's settings.
      const plans = runFolders(home)
        .sort()
        .map(
          (dir) =>
            JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as {
              workerCmd?: string;
              semantics: string;
              messages: number;
            },
        );
      expect(plans.map((p) => [p.semantics, p.messages, p.workerCmd])).toEqual([
        ['exactly-once', 20, `python3 ${join(workers, 'check_then_mark.py')}`],
        ['exactly-once', 20, `node ${join(workers, 'exactly_once.mjs')}`],
      ]);
    },
  );
});
