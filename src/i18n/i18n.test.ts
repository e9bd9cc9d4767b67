import { describe, expect, it } from 'vitest';
import { PRESETS, SEMANTICS_NAMES } from '../core/semantics.js';
import type { FaultSpec } from '../faults/spec.js';
import { describeFaultIn } from '../report/render-table.js';
import { verdictFor } from '../report/checker.js';
import { catalogFor, clip, localized, renderText } from './catalog.js';
import { en } from './en.js';
import { chooseLanguage, languageFromEnv } from './language.js';
import { ptBR } from './pt-br.js';

describe('language selection', () => {
  it('is English with no locale, and with C or POSIX', () => {
    expect(languageFromEnv({})).toBe('en');
    expect(languageFromEnv({ LANG: 'C' })).toBe('en');
    expect(languageFromEnv({ LANG: 'POSIX' })).toBe('en');
    expect(languageFromEnv({ LANG: 'en_US.UTF-8' })).toBe('en');
  });

  it('is Brazilian Portuguese for any Portuguese locale', () => {
    for (const locale of ['pt_BR.UTF-8', 'pt_BR', 'pt', 'pt_PT.UTF-8', 'pt-BR'])
      expect(languageFromEnv({ LANG: locale })).toBe('pt-BR');
    expect(languageFromEnv({ LANG: 'ptx' })).toBe('en');
  });

  it('takes LC_ALL over LC_MESSAGES over LANG, skipping empty ones', () => {
    expect(languageFromEnv({ LC_ALL: 'C', LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'pt_BR' })).toBe('en');
    expect(languageFromEnv({ LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'C' })).toBe('pt-BR');
    expect(languageFromEnv({ LC_ALL: '', LC_MESSAGES: '', LANG: 'pt_BR.UTF-8' })).toBe('pt-BR');
  });

  it('lets --lang win over the locale, case-insensitively, and rejects unknown values', () => {
    expect(chooseLanguage('en', { LANG: 'pt_BR.UTF-8' })).toBe('en');
    expect(chooseLanguage('pt-BR', { LANG: 'C' })).toBe('pt-BR');
    expect(chooseLanguage('pt-br', {})).toBe('pt-BR');
    expect(chooseLanguage(undefined, { LANG: 'pt_BR.UTF-8' })).toBe('pt-BR');
    expect(chooseLanguage('fr', {})).toBeUndefined();
    expect(chooseLanguage('pt', {})).toBeUndefined();
  });
});

/** Every path to a leaf of a catalog, with the leaf's kind: the type check's twin at run time. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function' || typeof value === 'string') return [`${path}:${typeof value}`];
  return Object.entries(value as object).flatMap(([key, child]) =>
    shape(child, path ? `${path}.${key}` : key),
  );
}

describe('catalogs', () => {
  it('pt-BR has every English entry, of the same kind, and nothing more', () => {
    expect(shape(ptBR)).toEqual(shape(en));
  });

  it('pt-BR says its texts in Portuguese, not as English copies', () => {
    // Words both languages spell alike: labels and the empty-trace line's "ok".
    const sameInBoth = new Set([
      'okLabel',
      'compareColumns.executed',
      'compareColumns.duplicates',
      'trace.storeLane',
      'trace.msColumn',
      'replicas.brokerList',
    ]);
    const english = new Map(
      shape(en).map((entry) => [entry.split(':')[0] ?? '', entry.endsWith(':string')]),
    );
    const copies = [...english]
      .filter(([path, isString]) => isString && !sameInBoth.has(path))
      .filter(([path]) => get(ptBR, path) === get(en, path))
      .map(([path]) => path);
    expect(copies).toEqual([]);
  });

  it('has a promise for every semantics, the English one the preset’s own', () => {
    for (const name of SEMANTICS_NAMES) {
      expect(en.promises[name]).toBe(PRESETS[name].promise.text);
      expect(ptBR.promises[name]).toBeTruthy();
    }
  });

  it('words the verdict in English exactly as the checker does, from the counts alone', () => {
    for (const semantics of SEMANTICS_NAMES) {
      for (const [lost, duplicates] of [
        [0, 0],
        [3, 0],
        [0, 1],
        [0, 30],
        [2, 5],
      ] as const) {
        const { promise } = PRESETS[semantics];
        const facts = {
          semantics,
          lost,
          duplicates,
          noLoss: promise.noLoss,
          noDuplicates: promise.noDuplicates,
        };
        expect(en.verdictReason(facts)).toBe(verdictFor(semantics, lost, duplicates).reason);
        expect(ptBR.verdictReason(facts)).not.toBe(en.verdictReason(facts));
        // No verdict: a run that did not finish, a history that is inconsistent.
        for (const withheld of [
          { unsettled: 1 },
          { unsettled: 7 },
          { unfinished: true },
          { unfinished: true, unsettled: 2 },
          { inconsistent: true, unsettled: 3 },
        ]) {
          const verdict = verdictFor(semantics, lost, duplicates, withheld);
          expect(verdict.held).toBeNull();
          expect(en.verdictReason({ ...facts, ...withheld })).toBe(verdict.reason);
          expect(ptBR.verdictReason({ ...facts, ...withheld })).toMatch(/^sem veredito: /);
        }
      }
    }
    expect(
      ptBR.verdictReason({
        semantics: 'exactly-once',
        lost: 0,
        duplicates: 1,
        noLoss: true,
        noDuplicates: true,
      }),
    ).toBe('1 execução duplicada: exactly-once promete nunca perder e nunca executar duas vezes');
  });

  it('describes faults in English with the words the tables always had', () => {
    const faults: [FaultSpec, string][] = [
      [{ type: 'drop', direction: 'ack', probability: 0.2 }, 'drop ack 20%'],
      [
        { type: 'delay', direction: 'work', ms: 400, probability: 0.125 },
        'delay work 400 ms 12.5%',
      ],
      [
        { type: 'crash', point: 'after-execute', every: 10 },
        'crash after-execute every 10th epoch',
      ],
      [{ type: 'crash', point: 'before-ack', every: 1 }, 'crash before-ack every  epoch'],
      [{ type: 'crash', point: 'after-mark', every: 22 }, 'crash after-mark every 22nd epoch'],
    ];
    for (const [fault, words] of faults) {
      expect(describeFaultIn(fault, en)).toBe(words);
    }
    expect(ptBR.faultDelay({ direction: 'work', ms: 400, probability: 0.125 })).toBe(
      'atrasa 12,5% do trabalho em 400 ms',
    );
  });

  it('describes live faults in English with the key that injects them', () => {
    const words = {
      'drop-work': 'live: drop work 30% (key d)',
      'drop-ack': 'live: drop acks 30% (key a)',
      'slow-ack': 'live: slow acks, 3× the timeout (key s)',
      pause: 'live: dispatching paused (key p)',
      'crash-worker': 'live: workers killed (key c)',
    } as const;
    for (const action of ['drop-work', 'drop-ack', 'slow-ack', 'pause', 'crash-worker'] as const) {
      const fault = { type: 'live' as const, action, injected: 1 };
      expect(describeFaultIn(fault, en)).toBe(words[action]);
      expect(describeFaultIn(fault, ptBR)).toMatch(/^ao vivo: /);
    }
  });

  it('renders an error text in either language from one key and its parameters', () => {
    const text = localized('wholeNumber', { flag: '--workers', text: '0', min: 1, max: 64 });
    expect(renderText(text, catalogFor('en'))).toBe(
      "--workers: '0' is not allowed; use a whole number from 1 to 64",
    );
    expect(renderText(text, catalogFor('pt-BR'))).toBe(
      "--workers: '0' não é permitido; use um número inteiro de 1 a 64",
    );
  });
});

function get(catalog: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], catalog);
}

describe('values echoed in messages', () => {
  it('are cut to 60 characters with an ellipsis, and control characters escaped', () => {
    const huge = localized('probability', { flag: '--drop-ack', text: '9'.repeat(5_000_000) });
    const line = renderText(huge, catalogFor('en'));
    expect(line).toBe(
      `--drop-ack: '${'9'.repeat(59)}…' is not a probability; use a number from 0 to 1, such as 0.2`,
    );
    const twoLines = localized('probability', {
      flag: '--drop-ack',
      text: '0.5\nsemlab: fake\u001b[2J',
    });
    expect(renderText(twoLines, catalogFor('en'))).toContain("'0.5\\nsemlab: fake\\u001b[2J'");
  });

  it('leave short values and lists of names as they are', () => {
    expect(clip('at-least-once')).toBe('at-least-once');
    expect(clip('x'.repeat(60))).toBe('x'.repeat(60));
    expect(clip('x'.repeat(61))).toBe(`${'x'.repeat(59)}…`);
  });
});
