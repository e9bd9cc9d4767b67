import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { crashDetailWords, fitItems, tickerWords } from '../cli/live-words.js';
import { lessonText, renderExpectations } from '../report/render-scenario.js';
import { checkExpectations } from '../scenario/expect.js';
import { bundledScenarioNames, loadScenario } from '../scenario/load.js';
import { englishLeft } from '../../test/support/english-sentinels.js';
import { en } from './en.js';
import { languageFromEnv } from './language.js';
import { ptBR } from './pt-br.js';

const plain = new Chalk({ level: 0 });

describe('the words of a class in Portuguese', () => {
  it('SEMLAB_LANG chooses the language over the locale; an unknown value falls back to it', () => {
    expect(languageFromEnv({ SEMLAB_LANG: 'pt-BR', LANG: 'C' })).toBe('pt-BR');
    expect(languageFromEnv({ SEMLAB_LANG: 'en', LANG: 'pt_BR.UTF-8' })).toBe('en');
    expect(languageFromEnv({ SEMLAB_LANG: 'fr', LANG: 'pt_BR.UTF-8' })).toBe('pt-BR');
  });

  it('the expectation line names fields in Portuguese, not by their JSON names', () => {
    const results = checkExpectations(
      { verdict: { held: false }, lost: 0, duplicateExecutions: 10 } as never,
      { lost: 0, duplicateExecutions: '>0', held: false },
    );
    const line = renderExpectations(results, plain, ptBR);
    expect(line).toBe(
      'esperado: perdidas 0 ✓ (0) · execuções duplicadas >0 ✓ (10) · promessa cumprida não ✓ (não)',
    );
    expect(englishLeft(line)).toEqual([]);
    // English keeps the JSON names scripts and lesson files use.
    expect(renderExpectations(results, plain, en)).toBe(
      'expect: lost 0 ✓ (0) · duplicateExecutions >0 ✓ (10) · held false ✓ (false)',
    );
  });

  it('says "a run" as rodada, never execução, and counts in the singular when there is one', () => {
    expect(ptBR.injected({ fault: 'x', count: 1 })).toBe('x (1 injetada)');
    expect(ptBR.injected({ fault: 'x', count: 2 })).toBe('x (2 injetadas)');
    expect(ptBR.externalKills(2)).toBe('2 quedas de trabalhador causadas de fora');
    expect(en.externalKills(1)).toBe('1 worker death from outside');
    const runWords = [
      ptBR.noRuns,
      ptBR.noRunsYet,
      ptBR.lab.build,
      ptBR.lab.stopped,
      ptBR.rows.messages.meaning,
      ptBR.traceRun('20261206-0415'),
      ptBR.runStalled({ runDir: '/x' }),
      ptBR.runDamaged({ runId: 'r', file: 'report.json', damage: 'torn' }),
    ];
    for (const text of runWords) {
      expect(text).not.toMatch(/execução|execuções/);
      expect(text).toMatch(/rodada/);
    }
  });

  it('one word for a crash: the per-worker columns say "quedas", not "mortes"', () => {
    const columns = Object.values(ptBR.workerColumns).join(' ');
    expect(columns).not.toMatch(/morte/);
    expect(columns).toMatch(/quedas/);
  });

  it("the live view's ticker and death details are said in the reader's language", () => {
    expect(tickerWords('ack of 39 dropped', ptBR)).toBe('ack da época 39 descartado');
    expect(tickerWords('work of 7 held 400 ms (live)', ptBR)).toBe(
      'trabalho da época 7 retido 400 ms (ao vivo)',
    );
    expect(tickerWords('ack of 39 dropped', en)).toBe('ack of 39 dropped');
    expect(tickerWords('something newer', ptBR)).toBe('something newer');
    expect(crashDetailWords('killed from the live view', ptBR)).toBe(
      'derrubado pela visão ao vivo',
    );
    expect(crashDetailWords('after-execute at epoch 10', ptBR)).toBe('after-execute na época 10');
    expect(crashDetailWords('killed by SIGKILL', ptBR)).toBe('derrubado por SIGKILL');
  });

  it('the key line is split at its separators to fit 80 columns, never cut', () => {
    for (const m of [en, ptBR]) {
      const lines = fitItems(m.live.keys, 80);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
      expect(lines.map((line) => line.trim()).join(' · ')).toBe(m.live.keys);
    }
  });

  it('no lesson text breaks a word across lines ("at- most-once")', () => {
    for (const name of bundledScenarioNames()) {
      const { scenario } = loadScenario(name);
      for (const lang of ['en', 'pt-BR'] as const) {
        const { title, description } = lessonText(scenario, lang);
        expect(`${title} ${description}`, `${name} (${lang})`).not.toMatch(/\p{L}-\s/u);
      }
    }
  });

  it('run-history errors are Portuguese, with no English word left', () => {
    const texts = [
      ptBR.noRunsIn({ root: '/h/runs' }),
      ptBR.noSuchRun({ target: 'zzz', root: '/h/runs', newest: 'a, b' }),
      ptBR.ambiguousRun({ target: '2026', count: 3 }),
      ptBR.epochNotInRun({ runId: 'r1', messages: 20, epoch: 30 }),
    ];
    for (const text of texts) expect(englishLeft(text), text).toEqual([]);
    expect(en.noRunsIn({ root: '/h/runs' })).toBe(
      'no runs in /h/runs yet; start one with `semlab run at-least-once`',
    );
  });
});
