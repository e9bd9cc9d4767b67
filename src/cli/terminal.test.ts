import { describe, expect, it } from 'vitest';
import { colourFor } from './terminal.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('colourFor', () => {
  it('colours a terminal', () => {
    expect(colourFor(tty, {}).level).toBeGreaterThan(0);
  });

  it('never colours a pipe', () => {
    expect(colourFor(pipe, {}).level).toBe(0);
  });

  it('honours NO_COLOR and TERM=dumb on a terminal', () => {
    expect(colourFor(tty, { NO_COLOR: '1' }).level).toBe(0);
    expect(colourFor(tty, { TERM: 'dumb' }).level).toBe(0);
  });

  it('lets FORCE_COLOR colour a pipe, and FORCE_COLOR=0 not', () => {
    expect(colourFor(pipe, { FORCE_COLOR: '1' }).level).toBeGreaterThan(0);
    expect(colourFor(pipe, { FORCE_COLOR: '0' }).level).toBe(0);
  });
});
