import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_ORDER } from '../../src/scenario/course.js';
import { englishLeft } from '../support/english-sentinels.js';
import { Screen } from '../support/screen.js';
import { makeSemlabHome } from '../support/semlab.js';

/**
 * The lab on a projector: 80×24, no colour, in Portuguese. The lesson menu fits the screen, the run
 * builder refuses a bad answer where it is typed, menus take single keys, and a lesson's variant
 * is picked by name.
 */
describe('the lab at 80×24 in pt-BR', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it(
    'fits the screen, validates each answer as typed, and runs a variant by name',
    { timeout: 120_000 },
    async () => {
      const env = { ...process.env, SEMLAB_HOME: home, NO_COLOR: '1', SEMLAB_LANG: 'pt-BR' };
      const screen = new Screen(['lab'], env as NodeJS.ProcessEnv, { cols: 80, rows: 24 });
      try {
        let at = await screen.waitFor(/número da lição, b ou q:/);
        // Title, every lesson, b, q and the prompt: 24 lines, the whole menu on the screen.
        const menu = screen.shown.slice(screen.shown.indexOf('Lições, na ordem do curso'));
        expect(menu.split(/\r?\n/).length).toBeLessThanOrEqual(24);
        for (const name of COURSE_ORDER) expect(menu).toMatch(new RegExp(` ${name}( |\r?\n)`));
        // b is a single key: no Enter.
        screen.type('b');
        at = await screen.waitFor(/número da semântica \[2\]:/, at);
        screen.type('\r');
        at = await screen.waitFor(/transporte \(zmq, redis, kafka\) \[zmq\]:/, at);
        // Refused at once, and asked again: not at the end of the builder.
        screen.type('zeromq\r');
        at = await screen.waitFor(/transporte desconhecido 'zeromq'/, at);
        at = await screen.waitFor(/transporte \(zmq, redis, kafka\) \[zmq\]:/, at);
        screen.type('\r');
        at = await screen.waitFor(/trabalhadores \[3\]:/, at);
        screen.type('0\r');
        at = await screen.waitFor(/--workers: '0' não é permitido/, at);
        at = await screen.waitFor(/trabalhadores \[3\]:/, at);
        screen.type('2\r');
        at = await screen.waitFor(/mensagens \[100\]:/, at);
        screen.type('30\r');
        at = await screen.waitFor(/falhas:/, at);
        screen.type('--drop-ack 0,2\r');
        at = await screen.waitFor(/seu programa worker/, at);
        screen.type('\r');
        at = await screen.waitFor(/at-least-once via zmq · 2 trabalhadores · 30 mensagens/, at);
        at = await screen.waitFor(/r, k, c ou m:/, at);
        // q during a long run: the counts so far, marked partial, in Portuguese.
        screen.type('k');
        at = await screen.waitFor(/flag e valor:/, at);
        screen.type('--messages 2000000\r');
        at = await screen.waitFor(/enviadas [1-9]/, at);
        screen.type('q');
        at = await screen.waitFor(/rodada interrompida/, at);
        const menuAt = await screen.waitFor(/r, k, c ou m:/, at);
        const stopped =
          /rodada interrompida, contagens parciais até aqui: (\d+)\/2000000 concluídas · enviadas (\d+)/.exec(
            screen.shown.slice(at, menuAt).replace(/\r?\n\s*/g, ' '),
          );
        expect(stopped, screen.shown.slice(at, menuAt)).not.toBeNull();
        expect(Number(stopped?.[2])).toBeGreaterThan(0);
        expect(Number(stopped?.[1])).toBeLessThan(2000000);
        at = menuAt;
        // A single key, no Enter.
        screen.type('m');
        at = await screen.waitFor(/número da lição, b ou q:/, at);
        screen.type(`${COURSE_ORDER.indexOf('memory-store') + 1}\r`);
        at = await screen.waitFor(/r, k, c ou m:/, at, 60_000);
        expect(screen.shown.slice(0, at)).toMatch(/v1 shared-store: Um store compartilhado/);
        // The variant by its name: the shared store, and the expectations that go with it.
        screen.type('v');
        at = await screen.waitFor(/store\s+sqlite/, at);
        at = await screen.waitFor(/esperado: execuções duplicadas 0 ✓/, at, 60_000);
        at = await screen.waitFor(/r, k, c ou m:/, at);
        screen.type('m');
        at = await screen.waitFor(/número da lição, b ou q:/, at);
        screen.type('q');
        await screen.waitFor(/até mais/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }
      // No line wider than the screen; the live view redraws in place, so look at the final text.
      const lines = screen.shown.split(/\r?\n/);
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
      expect(englishLeft(screen.shown)).toEqual([]);
    },
  );
});
