import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogFor, renderText } from '../i18n/catalog.js';
import { setLanguage } from '../i18n/language.js';
import { UsageError } from '../shared/errors.js';
import {
  BUNDLED_SCENARIOS_DIR,
  bundledScenarioNames,
  loadScenario,
  parseScenario,
  ScenarioErrors,
} from './load.js';
import { scenarioJsonSchema } from './schema.js';

const VALID = `name: lesson
title: A lesson
description: What to watch.
semantics: [at-least-once, exactly-once]
workers: 3
faults:
  - { type: drop, direction: ack, probability: 0.2 }
  - { type: delay, direction: ack, ms: 500, probability: 0.1 }
expect:
  at-least-once: { lost: 0, duplicateExecutions: ">0" }
`;

/** The message of the UsageError that parsing `text` throws. */
function errorOf(text: string): string {
  try {
    parseScenario(text, 'lesson.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('parseScenario', () => {
  it('accepts a valid file and fills in the defaults', () => {
    const scenario = parseScenario(VALID, 'lesson.yaml');
    expect(scenario.semantics).toEqual(['at-least-once', 'exactly-once']);
    expect(scenario.transport).toBe('zmq');
    expect(scenario.messages).toBe(100);
    expect(scenario.timeoutMs).toBe(200);
    expect(scenario.faults[1]).toEqual({
      type: 'delay',
      direction: 'ack',
      ms: 500,
      probability: 0.1,
    });
  });

  it('names file, line, field path, what was found and a suggestion for a misspelt value', () => {
    const text = VALID.replace('{ type: delay, direction: ack', '{ type: delay, direction: acks');
    expect(errorOf(text)).toBe(
      "lesson.yaml:8: faults[1].direction: 'acks' is not one of work, ack; did you mean 'ack'?",
    );
  });

  it('rejects malformed YAML with its line', () => {
    expect(errorOf('name: x\ntitle: [unclosed\nsemantics: at-least-once\n')).toMatch(
      /^lesson\.yaml:\d+: not valid YAML: /,
    );
  });

  it('rejects an unknown field at its line, with the allowed ones', () => {
    const message = errorOf(VALID.replace('workers: 3', 'wokers: 3'));
    expect(message).toMatch(
      /^lesson\.yaml:5: wokers: unknown field; did you mean 'workers'\?; allowed: name, title/,
    );
  });

  it('rejects an unknown field inside a fault', () => {
    const message = errorOf(VALID.replace('probability: 0.2 }', 'probability: 0.2, prob: 1 }'));
    expect(message).toBe(
      'lesson.yaml:7: faults[0].prob: unknown field; allowed: type, direction, probability',
    );
  });

  it('rejects a wrong type', () => {
    expect(errorOf(VALID.replace('workers: 3', 'workers: three'))).toBe(
      "lesson.yaml:5: workers: 'three' is not a number",
    );
  });

  it('rejects a value out of range', () => {
    expect(errorOf(VALID.replace('probability: 0.2', 'probability: 1.5'))).toBe(
      "lesson.yaml:7: faults[0].probability: '1.5' is too large; the most allowed is 1",
    );
    expect(errorOf(VALID.replace('workers: 3', 'workers: 0'))).toBe(
      "lesson.yaml:5: workers: '0' is too small; the least allowed is 1",
    );
  });

  it('rejects an unknown semantics, with a suggestion', () => {
    expect(
      errorOf(VALID.replace('[at-least-once, exactly-once]', '[at-least-once, exactly-onse]')),
    ).toBe(
      "lesson.yaml:4: semantics[1]: 'exactly-onse' is not one of at-most-once, at-least-once, exactly-once, exactly-once-atomic, at-most-once-execution; did you mean 'exactly-once'?",
    );
  });

  it('rejects an unknown fault type', () => {
    expect(errorOf(VALID.replace('{ type: drop,', '{ type: dorp,'))).toBe(
      "lesson.yaml:7: faults[0].type: 'dorp' is not one of drop, delay, crash, work, pause, duplicate, reorder, partition; did you mean 'drop'?",
    );
  });

  it('rejects a missing required field', () => {
    expect(errorOf(VALID.replace('title: A lesson\n', ''))).toMatch(
      /^lesson\.yaml:1: title: missing; this field is required/,
    );
  });

  it('rejects an expectation that is not a comparison', () => {
    expect(errorOf(VALID.replace('">0"', '"lots"'))).toMatch(
      /^lesson\.yaml:10: expect\.at-least-once\.duplicateExecutions: 'lots' is not allowed/,
    );
  });

  it('rejects expectations for a semantics the scenario does not run', () => {
    expect(errorOf(VALID.replace('  at-least-once: { lost', '  at-most-once: { lost'))).toBe(
      "lesson.yaml:10: expect.at-most-once: 'at-most-once' is not among this scenario's semantics (at-least-once, exactly-once)",
    );
  });
});

describe('the bundled lesson library', () => {
  it('has at least twelve lessons, each valid, each with a title, a description and expectations', () => {
    const names = bundledScenarioNames();
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const name of names) {
      const { scenario } = loadScenario(name);
      expect(scenario.name).toBe(name);
      expect(scenario.description.length).toBeGreaterThan(100);
      expect(Object.keys(scenario.expect ?? {})).toEqual(
        expect.arrayContaining([[scenario.semantics].flat()[0]]),
      );
    }
  });

  it('publishes the JSON Schema that the zod schema generates (run `npm run schema` after a change)', () => {
    const published = JSON.parse(
      readFileSync(join(BUNDLED_SCENARIOS_DIR, 'schema.json'), 'utf8'),
    ) as unknown;
    expect(published).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});

describe('a scenario file with several mistakes', () => {
  it('reports every one at once, in the order of the file, each with file, line and field', () => {
    const text = [
      'name: Bad Name',
      'title: Three mistakes',
      'description: x',
      'semantics: at-least-onse',
      'workers: 0',
    ].join('\n');
    let caught: unknown;
    try {
      parseScenario(text, 'three.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioErrors);
    const lines = (caught as ScenarioErrors).texts.map((t) => renderText(t, catalogFor('en')));
    expect(lines).toEqual([
      "three.yaml:1: name: 'Bad Name' is not allowed; use lowercase letters, digits and dashes",
      "three.yaml:4: semantics: 'at-least-onse' is not one of at-most-once, at-least-once, exactly-once, exactly-once-atomic, at-most-once-execution; did you mean 'at-least-once'?",
      "three.yaml:5: workers: '0' is too small; the least allowed is 1",
    ]);
  });

  it('says each unknown field of a mapping on its own line, and YAML errors in Portuguese', () => {
    expect(() =>
      parseScenario('name: a\ntitle: b\nsemantics: at-least-once\nfoo: 1\nbar: 2\n', 'k.yaml'),
    ).toThrow(ScenarioErrors);
    setLanguage('pt-BR');
    try {
      let caught: unknown;
      try {
        parseScenario('name: x\ntitle: [a\nsemantics: at-least-once\n', 'y.yaml');
      } catch (error) {
        caught = error;
      }
      const text = (caught as UsageError).text;
      expect(text && renderText(text, catalogFor('pt-BR'))).toBe(
        'y.yaml:3: YAML inválido: indentação errada',
      );
    } finally {
      setLanguage('en');
    }
  });
});
