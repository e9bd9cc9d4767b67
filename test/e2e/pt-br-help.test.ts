import { afterAll, describe, expect, it } from 'vitest';
import { englishLeft } from '../support/english-sentinels.js';
import { makeSemlabHome, runSemlab } from '../support/semlab.js';

/**
 * `--help` of every command and commander's own errors in Brazilian Portuguese, chosen by --lang,
 * SEMLAB_LANG or the locale: no English word outside the allow-list (flags, names, examples).
 */
describe('help and command-line errors in pt-BR', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  const commands = [
    [],
    ['run'],
    ['compare'],
    ['scenarios'],
    ['trace'],
    ['runs'],
    ['lab'],
    ['class'],
  ];

  it('every --help is in Portuguese, whichever way the language was chosen', async () => {
    for (const command of commands) {
      const ways: [string[], NodeJS.ProcessEnv][] = [
        [['--lang', 'pt-BR', ...command, '--help'], {}],
        [[...command, '--help'], { SEMLAB_LANG: 'pt-BR' }],
        [[...command, '--help'], { LANG: 'pt_BR.UTF-8' }],
      ];
      for (const [args, env] of ways) {
        const result = await runSemlab(args, home, env);
        expect(result.code, args.join(' ')).toBe(0);
        expect(result.stdout, args.join(' ')).toMatch(/^Uso: semlab/);
        expect(result.stdout).toMatch(/^Opções:$/m);
        expect(englishLeft(result.stdout), args.join(' ')).toEqual([]);
      }
    }
    // English stays as written.
    const english = await runSemlab(['run', '--help'], home, { LANG: 'C' });
    expect(english.stdout).toMatch(/^Usage: semlab run \[options\] \[target\]/);
  });

  it("commander's errors are one Portuguese line: unknown option, unknown command, missing value", async () => {
    const env = { SEMLAB_LANG: 'pt-BR' };
    const option = await runSemlab(['run', 'at-least-once', '--droop-ack', '0,2'], home, env);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe(
      "semlab: opção desconhecida '--droop-ack'; você quis dizer '--drop-ack'? (`semlab run --help` lista as opções)\n",
    );
    const command = await runSemlab(['--lang', 'pt-BR', 'frob'], home);
    expect(command.stderr).toBe(
      "semlab: comando desconhecido 'frob'; `semlab --help` lista os comandos\n",
    );
    const value = await runSemlab(['run', 'at-least-once', '--seed'], home, env);
    expect(value.stderr).toBe("semlab: a opção '--seed <s>' precisa de um valor\n");
    for (const result of [option, command, value]) expect(englishLeft(result.stderr)).toEqual([]);
  });
});
