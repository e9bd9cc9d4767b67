import { afterAll, describe, expect, it } from 'vitest';
import { makeSemlabHome, runSemlab } from '../support/semlab.js';

/**
 * Output in Brazilian Portuguese: chosen with --lang or from the locale, for the summary table, the
 * verdict and the errors; --json stays English whatever the language.
 */
describe('language: --lang pt-BR and the locale', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);
  const run = ['run', 'at-least-once', '--messages', '20', '--seed', '7', '--drop-ack', '0.2'];

  /** The summary in Portuguese: header, every row with its meaning, the verdict, the workers. */
  function expectPortugueseSummary(stdout: string): void {
    expect(stdout).toMatch(
      /^at-least-once via zmq · 3 trabalhadores · 20 mensagens · semente 7 · store sqlite$/m,
    );
    expect(stdout).toMatch(/^relógio virtual · falhas: descarta 20% dos acks \(\d+ injetadas\)$/m);
    for (const [name, meaning] of [
      ['mensagens', 'épocas que a rodada precisava entregar'],
      ['enviadas', 'tentativas de envio, com os reenvios'],
      ['reenvios', 'envios depois do primeiro'],
      ['entregues', 'recebidas nos trabalhadores, com repetições'],
      ['entregas duplicadas', 'recebimentos de uma época já recebida'],
      ['executadas', 'efeitos aplicados \\(segundo o ledger\\)'],
      ['execuções duplicadas', 'efeitos aplicados de novo'],
      ['confirmadas', 'épocas cujo ack chegou ao despachante'],
      ['perdidas', 'épocas com ack ou desistência, não rodadas'],
    ])
      expect(stdout).toMatch(new RegExp(`│ ${name} +│ +[\\d.]+ │ ${meaning} +│`));
    expect(stdout).toMatch(/│ mensagens +│ +20 │/);
    expect(stdout).toMatch(/│ perdidas +│ +0 │/);
    expect(stdout).toMatch(/^veredito: CUMPRIDA {2}promessa: nunca perde; pode repetir$/m);
    expect(stdout).toMatch(
      /^ {10}\d+ execu(ção duplicada|ções duplicadas): at-least-once permite isso$/m,
    );
    expect(stdout).toMatch(
      /│ trabalhador │ entregues │ executadas │ puladas │ acks │ quedas inj. │ quedas │/,
    );
    expect(stdout).not.toMatch(/verdict|messages|delivered/);
  }

  it('--lang pt-BR prints the summary table in Portuguese', async () => {
    const result = await runSemlab([...run, '--lang', 'pt-BR'], home);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectPortugueseSummary(result.stdout);
  });

  it('LANG=pt_BR.UTF-8 chooses Portuguese without a flag', async () => {
    const result = await runSemlab(run, home, { LANG: 'pt_BR.UTF-8' });
    expect(result.code).toBe(0);
    expectPortugueseSummary(result.stdout);
  });

  it('--lang en wins over a Portuguese locale; English is the default', async () => {
    const chosen = await runSemlab([...run, '--lang', 'en'], home, { LC_ALL: 'pt_BR.UTF-8' });
    const plain = await runSemlab(run, home);
    for (const result of [chosen, plain]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^verdict: HELD {2}promise: never lost; may repeat$/m);
      expect(result.stdout).toMatch(
        /│ lost +│ +0 │ epochs settled \(acked, given up\), never run +│/,
      );
    }
  });

  it('--json is the same English report with --lang pt-BR', async () => {
    const english = await runSemlab([...run, '--json'], home);
    const portuguese = await runSemlab([...run, '--json', '--lang', 'pt-BR'], home, {
      LANG: 'pt_BR.UTF-8',
    });
    expect(portuguese.code).toBe(0);
    const a = JSON.parse(english.stdout) as Record<string, unknown>;
    const b = JSON.parse(portuguese.stdout) as Record<string, unknown>;
    // Counts may differ between two runs on a loaded machine (a late ack is a retry); the field
    // names, at every depth, and the English words may not.
    expect(fieldNames(b)).toEqual(fieldNames(a));
    expect(b.verdict).toMatchObject({ promise: 'never lost; may repeat', held: true });
    expect(String((b.verdict as { reason: string }).reason)).toMatch(/allows this|nothing lost/);
    expect(b.faults).toEqual([
      expect.objectContaining({ type: 'drop', direction: 'ack', probability: 0.2 }),
    ]);
    expect(portuguese.stdout).not.toMatch(/[ãçéêíóõú]/);
  });

  it('a usage error is in Portuguese, exit code 2', async () => {
    const flag = await runSemlab(
      ['run', 'at-least-once', '--workers', '0', '--lang', 'pt-BR'],
      home,
    );
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toBe(
      "semlab: --workers: '0' não é permitido; use um número inteiro de 1 a 64\n",
    );
    const locale = await runSemlab(['run', 'exactly-twice'], home, { LANG: 'pt_BR.UTF-8' });
    expect(locale.code).toBe(2);
    expect(locale.stderr).toMatch(
      /^semlab: semântica ou cenário desconhecido 'exactly-twice'; você quis dizer 'exactly-once'\?; semânticas válidas: at-most-once, /,
    );
  });

  it('an unknown --lang is a usage error naming the allowed values', async () => {
    const result = await runSemlab(['run', 'at-least-once', '--lang', 'fr'], home);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("semlab: --lang: 'fr' is not one of en, pt-BR\n");
  });

  it('lessons show their Portuguese title in `semlab scenarios`', async () => {
    const result = await runSemlab(['scenarios', '--lang', 'pt-BR'], home);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ack-loss +Acks perdidos transformam reenvios em duplicatas$/m);
  });
});

/** Every field name of a JSON value, by path: "verdict.held", "perWorker[].acksSent". */
function fieldNames(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return [...new Set(value.flatMap((item) => fieldNames(item, `${path}[]`)))];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${path}${path ? '.' : ''}${key}`,
    ...fieldNames(child, `${path}${path ? '.' : ''}${key}`),
  ]);
}
