import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DISCARD_JOURNALS, DISCARDED_SUFFIX, Journal } from './journal.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'semlab-journal-'));
  dirs.push(dir);
  return join(dir, 'j.jsonl');
}
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[DISCARD_JOURNALS];
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The lines of a file without their wall-clock stamps, which differ between two writes. */
function unstamped(path: string): string[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\{"t":[0-9.]+,/, '{'));
}

describe('Journal.appendStep', () => {
  it('writes the same bytes as append for every hot event, virtual instant and odd names included', () => {
    const [a, b] = [tempFile(), tempFile()];
    let vt: number | undefined;
    const slow = new Journal(a, { virtualNow: () => vt });
    const fast = new Journal(b, { virtualNow: () => vt });
    for (const at of [undefined, 0, 405.5]) {
      vt = at;
      slow.append({ kind: 'send', epoch: 17, attempt: 2 });
      fast.appendStep('send', 17, 2);
      for (const kind of ['ack', 'receive', 'execute', 'reply'] as const) {
        slow.append({ kind, epoch: 1, attempt: 1, worker: 'w10' });
        fast.appendStep(kind, 1, 1, 'w10');
        slow.append({ kind, epoch: 3, attempt: 9, worker: 'a "quoted" \\ name' });
        fast.appendStep(kind, 3, 9, 'a "quoted" \\ name');
      }
    }
    slow.close();
    fast.close();
    expect(unstamped(b)).toEqual(unstamped(a));
    expect(unstamped(a)).toHaveLength(27);
  });

  it('holds lines in memory until commit when asked to, and writes them all then', () => {
    const path = tempFile();
    const journal = new Journal(path, { commit: 'explicit' });
    journal.appendStep('receive', 1, 1, 'w1');
    journal.appendStep('reply', 1, 1, 'w1');
    expect(readFileSync(path, 'utf8')).toBe('');
    journal.commit();
    expect(unstamped(path)).toEqual([
      '{"kind":"receive","epoch":1,"attempt":1,"worker":"w1"}',
      '{"kind":"reply","epoch":1,"attempt":1,"worker":"w1"}',
    ]);
    journal.close();
  });
});

describe('a discarded journal (the bench-only switch)', () => {
  it('writes nothing and leaves a marker in place of its file', () => {
    (globalThis as Record<symbol, unknown>)[DISCARD_JOURNALS] = true;
    const path = tempFile();
    const journal = new Journal(path);
    journal.appendStep('send', 1, 1);
    journal.append({ kind: 'run-end', status: 'completed' });
    journal.close();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(path + DISCARDED_SUFFIX)).toBe(true);
  });
});
