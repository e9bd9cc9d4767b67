import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['sqlite', 'sqlit', 1],
    ['at-least-onse', 'at-least-once', 1],
    ['zmq', 'qmz', 2],
    ['abcdef', 'azced', 3],
  ])('distance(%j, %j) = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    // Levenshtein distance is symmetric.
    expect(editDistance(b, a)).toBe(expected);
  });

  it('is case-sensitive itself (closestMatch folds case)', () => {
    expect(editDistance('SQLite', 'sqlite')).toBe(3);
  });
});

describe('closestMatch', () => {
  const presets = [
    'at-most-once',
    'at-least-once',
    'exactly-once',
    'exactly-once-atomic',
    'at-most-once-execution',
  ];

  it('finds the nearest candidate for a typo', () => {
    expect(closestMatch('at-least-onse', presets)).toBe('at-least-once');
    expect(closestMatch('exactly-once-atomc', presets)).toBe('exactly-once-atomic');
    expect(closestMatch('at-most-one', presets)).toBe('at-most-once');
  });

  it('ignores case', () => {
    expect(closestMatch('SQLITE', ['memory', 'sqlite'])).toBe('sqlite');
  });

  it('accepts up to 2 edits for short names', () => {
    // 'sqlite' has 6 letters: the threshold is max(2, floor(6 / 3)) = 2.
    expect(closestMatch('sqxxte', ['sqlite'])).toBe('sqlite');
    expect(closestMatch('sxxxte', ['sqlite'])).toBeUndefined();
  });

  it('accepts up to a third of the length for long names', () => {
    // 'at-most-once-execution' has 22 letters: the threshold is floor(22 / 3) = 7.
    const target = 'at-most-once-execution';
    const sevenEdits = 'XXXXXXX' + target.slice(7);
    const eightEdits = 'XXXXXXXX' + target.slice(8);
    expect(editDistance(sevenEdits, target)).toBe(7);
    expect(editDistance(eightEdits, target)).toBe(8);
    expect(closestMatch(sevenEdits, [target])).toBe(target);
    expect(closestMatch(eightEdits, [target])).toBeUndefined();
  });

  it('returns nothing for something unrelated or no candidates', () => {
    expect(closestMatch('redis', ['zmq'])).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });

  it('prefers the candidate with the smaller distance, whatever the order', () => {
    expect(closestMatch('memori', ['memory', 'memoir'])).toBe('memory');
    expect(closestMatch('memoi', ['memory', 'memoir'])).toBe('memoir');
  });
});

describe('didYouMean', () => {
  it('formats a suggestion, or nothing', () => {
    expect(didYouMean('sqlit', ['sqlite', 'memory'])).toBe("; did you mean 'sqlite'?");
    expect(didYouMean('postgres', ['sqlite', 'memory'])).toBe('');
  });
});
