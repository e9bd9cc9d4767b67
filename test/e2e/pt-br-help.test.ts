import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('a scenario file with three mistakes prints three semlab: lines, in Portuguese, exit 2', async () => {
    const file = join(home, 'three.yaml');
    writeFileSync(
      file,
      'name: Bad Name\ntitle: Três erros\ndescription: x\nsemantics: at-least-onse\nworkers: 0\n',
    );
    const result = await runSemlab(['run', file], home, { SEMLAB_LANG: 'pt-BR' });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^semlab: .*three\.yaml:1: name: 'Bad Name' não é permitido/);
    expect(lines[1]).toMatch(
      /three\.yaml:4: semantics: 'at-least-onse' não é válido; você quis dizer 'at-least-once'\?/,
    );
    expect(lines[2]).toMatch(/three\.yaml:5: workers: '0' é pequeno demais/);
  });
});
