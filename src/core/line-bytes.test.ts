import { describe, expect, it } from 'vitest';
import { ascii, LineBytes } from './line-bytes.js';

function written(build: (lines: LineBytes) => void): string {
  const lines = new LineBytes();
  build(lines);
  return lines.view().toString('utf8');
}

describe('LineBytes', () => {
  it('writes wall-clock milliseconds exactly as JSON writes micros / 1000', () => {
    const now = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const samples = [0, 1, 7, 10, 100, 999, 1000, 1001, 1010, 1100, 1234, 123_456_789];
    for (let i = 0; i < 20_000; i++) samples.push(now + Math.floor(Math.random() * 10_000_000));
    // Runs within one millisecond and across its end, as a journal meets them.
    for (let i = 0; i < 3000; i++) samples.push(now + i);
    const lines = new LineBytes();
    for (const micros of samples) {
      lines.milliseconds(micros);
      lines.text('\n');
    }
    const texts = lines.view().toString('utf8').split('\n');
    const wrong = samples.filter((micros, i) => texts[i] !== JSON.stringify(micros / 1000));
    expect(wrong).toEqual([]);
  });

  it('writes numbers as JSON does: whole ones in digits, any other through String()', () => {
    const values = [0, 1, 9, 10, 99, 100, 4_294_967_296, Number.MAX_SAFE_INTEGER, 405.5, -3, 1e21];
    for (const value of values)
      expect(written((lines) => lines.number(value))).toBe(JSON.stringify(value));
  });

  it('keeps text, constant pieces and numbers in order, and grows past its first buffer', () => {
    const piece = ascii(',"w":');
    const text = written((lines) => {
      for (let i = 0; i < 20_000; i++) {
        lines.text('{"é":');
        lines.number(i);
        lines.bytes(piece);
        lines.milliseconds(i * 1001);
        lines.text('}\n');
      }
    });
    const rows = text.trimEnd().split('\n');
    expect(rows).toHaveLength(20_000);
    expect(rows[12_345]).toBe(`{"é":12345,"w":${JSON.stringify((12_345 * 1001) / 1000)}}`);
    expect(Buffer.byteLength(text)).toBeGreaterThan(64 * 1024);
  });

  it('starts over after clear', () => {
    const lines = new LineBytes();
    lines.text('abc');
    lines.clear();
    lines.number(42);
    expect(lines.view().toString()).toBe('42');
  });
});
