import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOpener } from './opener.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'semlab-opener-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tool(folder: string, name: string, mode = 0o755): string {
  const file = join(folder, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe('findOpener', () => {
  it('finds xdg-open on PATH on Linux, and not the unrelated `open`', () => {
    tool(dir, 'open');
    expect(findOpener('linux', dir)).toBeUndefined();
    const xdg = tool(dir, 'xdg-open');
    expect(findOpener('linux', `/nonexistent${delimiter}${dir}`)).toBe(xdg);
  });

  it('finds `open` on macOS', () => {
    const open = tool(dir, 'open');
    expect(findOpener('darwin', dir)).toBe(open);
  });

  it('finds none when PATH has no executable opener', () => {
    tool(dir, 'xdg-open', 0o644);
    expect(findOpener('linux', dir)).toBeUndefined();
    expect(findOpener('linux', '')).toBeUndefined();
  });
});
