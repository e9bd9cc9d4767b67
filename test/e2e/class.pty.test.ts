import { acceptsConnections } from '../../src/services/tcp-probe.js';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_ORDER } from '../../src/scenario/course.js';
import { englishLeft } from '../support/english-sentinels.js';
import { Screen } from '../support/screen.js';
import { makeSemlabHome } from '../support/semlab.js';

/**
 * Class mode as a teacher drives it on an 80×24 projector, in Portuguese: the list in the order of
 * the course, a guess typed before a run, the result against the guess, the compact table, the
 * next lesson, one that needs Redis started from the class and stopped at its end, quit.
 */
describe('semlab class, through a real pseudo-terminal at 80×24', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it(
    'lists in course order, takes guesses, shows them against the runs, starts and stops Redis',
    { timeout: 120_000 },
    async () => {
      const env = {
        ...process.env,
        SEMLAB_HOME: home,
        NO_COLOR: '1',
        SEMLAB_LANG: 'pt-BR',
        // Nothing answers here: the class offers to start a Redis of its own.
        REDIS_URL: 'redis://127.0.0.1:1',
      } as NodeJS.ProcessEnv;
      delete env.SEMLAB_SERVICES_STATE;
      const screen = new Screen(['class'], env, { cols: 80, rows: 24 });
      let redisAt = '';
      try {
        let at = await screen.waitFor(/Enter começa pela lição 1/);
        // The course's order, not the alphabet's: no-faults first, the atomic fix near the end.
        const list = screen.shown.slice(0, at);
        const positions = ['no-faults', 'ack-loss', 'epoch-dedupe', 'dedupe-hole'].map((name) =>
          list.indexOf(` ${name} `),
        );
        expect(positions.every((p) => p > 0)).toBe(true);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        expect(list).toMatch(
          new RegExp(`${COURSE_ORDER.indexOf('redis-ttl') + 1} \\[redis\\] redis-ttl`),
        );
        const ttlLong = COURSE_ORDER.indexOf('ttl-long-enough') + 1;
        screen.type(`${ttlLong}\r`);
        at = await screen.waitFor(new RegExp(`lição ${ttlLong} de \\d+ · ttl-long-enough`), at);
        at = await screen.waitFor(/exactly-once: quantas perdidas\?/, at);
        // A guess that is not a number is refused where it is typed, then a real one.
        screen.type('muitas\r');
        at = await screen.waitFor(/'muitas' não é um número inteiro/, at);
        at = await screen.waitFor(/quantas perdidas\?/, at);
        screen.type('0\r');
        at = await screen.waitFor(/quantas executadas duas vezes\?/, at);
        screen.type('5\r');
        at = await screen.waitFor(
          /exactly-once: CUMPRIDA\r?\n {2}perdidas 0 \(palpite 0: acertou ✓\) · duas vezes 0 \(palpite 5: errou ✗\)/,
          at,
        );
        at = await screen.waitFor(/semântica +env +reenv/, at);
        at = await screen.waitFor(/Enter próxima lição/, at);
        screen.type('\r');
        // The next lesson needs Redis, which is not there: s starts one.
        at = await screen.waitFor(/lição \d+ de \d+ · redis-ttl/, at);
        at = await screen.waitFor(/redis não responde em 127\.0\.0\.1:1/, at);
        screen.type('s\r');
        at = await screen.waitFor(/redis no ar em (\S+);/, at);
        redisAt = /redis no ar em (\S+);/.exec(screen.shown.slice(at))?.[1] ?? '';
        expect(await acceptsConnections(redisAt, 2000)).toBe(true);
        at = await screen.waitFor(/quantas perdidas\?/, at);
        screen.type('\r');
        at = await screen.waitFor(/quantas executadas duas vezes\?/, at);
        screen.type('\r');
        at = await screen.waitFor(
          /exactly-once: (CUMPRIDA|QUEBRADA)\r?\n {2}perdidas \d+ · duas vezes \d+/,
          at,
        );
        at = await screen.waitFor(/Enter próxima lição/, at);
        screen.type('q\r');
        at = await screen.waitFor(/redis parado/, at);
        await screen.waitFor(/fim da aula/, at);
        expect(await screen.exited).toBe(0);
      } finally {
        screen.kill();
      }
      expect(redisAt).not.toBe('');
      expect(await acceptsConnections(redisAt, 1000)).toBe(false);
      // Never wider than the projector, and no English word on it.
      for (const line of screen.shown.split(/\r?\n/)) {
        expect([...line].length, line).toBeLessThanOrEqual(80);
      }
      expect(englishLeft(screen.shown)).toEqual([]);
    },
  );
});
