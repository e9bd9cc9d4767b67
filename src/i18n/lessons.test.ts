import { describe, expect, it } from 'vitest';
import { lessonText } from '../report/render-scenario.js';
import { bundledScenarioNames, loadScenario, parseScenario } from '../scenario/load.js';

describe('lesson translations', () => {
  it('every bundled lesson has a Brazilian Portuguese title and description', () => {
    for (const name of bundledScenarioNames()) {
      const { scenario } = loadScenario(name);
      const pt = lessonText(scenario, 'pt-BR');
      expect(pt.title, name).not.toBe(scenario.title);
      expect(pt.description.length, name).toBeGreaterThan(100);
      expect(lessonText(scenario, 'en').title, name).toBe(scenario.title);
    }
  });

  it('a lesson without a translation falls back to English', () => {
    const scenario = parseScenario(
      'name: mine\ntitle: Mine\ndescription: Mine only.\nsemantics: at-least-once\n',
      'mine.yaml',
    );
    expect(lessonText(scenario, 'pt-BR')).toEqual({ title: 'Mine', description: 'Mine only.' });
  });

  it('an unknown language in the i18n block is a scenario error', () => {
    expect(() =>
      parseScenario(
        'name: mine\ntitle: Mine\ndescription: Mine.\nsemantics: at-least-once\ni18n:\n  fr: { title: A, description: B }\n',
        'mine.yaml',
      ),
    ).toThrow(/mine.yaml:6: i18n.fr: unknown field/);
  });
});
