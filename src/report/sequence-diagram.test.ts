import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.js';
import { ptBR } from '../i18n/pt-br.js';
import {
  CRASH,
  CRASH_STARTS,
  DROP,
  LOST_ACK,
  SKIP,
  lifeOf,
} from '../../test/support/epoch-histories.js';
import { renderSequenceDiagram, toAscii } from './sequence-diagram.js';

const plain = new Chalk({ level: 0 });
const ascii = { ascii: true, colour: plain, m: en };
const unicode = { ascii: false, colour: plain, m: en };

/** Every line fits 80 columns (characters: every glyph used is one column wide). */
function expectFits(lines: readonly string[], width = 80): void {
  for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(width);
}

describe('renderSequenceDiagram', () => {
  it('a dropped send under at-most-once: a crossed arrow and the timeout that gives up', () => {
    const lines = renderSequenceDiagram(lifeOf('at-most-once', DROP), ascii);
    expect(lines).toEqual([
      'epoch 1  LOST  the network dropped every send (1); at-most-once never sends',
      '  again',
      ' ms  dispatcher',
      '  0  |---x       work #1 dropped',
      '200  @           timeout #1: give up',
      'virtual clock, ms  -> message  x dropped  * effect  X crash  + restart',
      '  @ timeout',
    ]);
  });

  it('a lost ack: the ack crossed out, the timeout, the retry to another worker', () => {
    const lines = renderSequenceDiagram(lifeOf('at-least-once', LOST_ACK), ascii);
    expect(lines).toEqual([
      'epoch 1  EXECUTED 2x  the network dropped the ack of attempt 1; after 200 ms the',
      '  dispatcher sent it again and w2 ran it again',
      ' ms  dispatcher  w1.0  w2.0',
      '  1  |---------->|           work #1',
      '     |           *           w1.0 executes (effect)',
      '     |     x-----|           ack #1 dropped',
      '200  @           |           timeout #1: send again',
      '201  |---------------->|     work #2',
      '     |           |     *     w2.0 executes AGAIN',
      '202  |<----------------|     ack #2',
      'virtual clock, ms  -> message  x dropped  * effect  X crash  + restart',
      '  @ timeout',
    ]);
    for (const line of lines) expect(line).toMatch(/^[\x20-\x7e]*$/);
  });

  it('a crash after execute: the lane ends at the crash, the restarted incarnation runs it again', () => {
    const lines = renderSequenceDiagram(lifeOf('exactly-once', CRASH, CRASH_STARTS), unicode);
    expect(lines).toEqual([
      'epoch 1  EXECUTED 2×  w1 died after executing it and before marking it (the',
      '  hole); w1 ran it again',
      ' ms  dispatcher  w1.0  w1.1  store',
      '  1  ├──────────▶│           │      work #1',
      '     │           ●           │      w1.0 executes (effect)',
      '     │           ✖           │      w1.0 dies (after-execute)',
      '200  ◷                       │      timeout #1: send again',
      '201  │                 ↻     │      w1.1 starts (restart)',
      '202  ├────────────────▶│     │      work #2',
      '     │                 ●     │      w1.1 executes AGAIN',
      '     │                 ├────▶│      w1.1 marks it executed',
      '203  │◀────────────────┤     │      ack #2',
      'virtual clock, ms  ─▶ message  ✕ dropped  ● effect  ✖ crash  ↻ restart',
      '  ◷ timeout',
    ]);
  });

  it('says the crash in pt-BR, in ASCII', () => {
    const lines = renderSequenceDiagram(lifeOf('exactly-once', CRASH, CRASH_STARTS), {
      ...ascii,
      m: ptBR,
    });
    expect(lines).toEqual([
      'época 1  EXECUTADA 2x  w1 morreu depois de executá-la e antes de marcá-la (o',
      '  buraco); w1 a rodou de novo',
      ' ms  despachante  w1.0  w1.1  store',
      '  1  |----------->|           |      trabalho #1',
      '     |            *           |      w1.0 executa (efeito)',
      '     |            X           |      w1.0 morre (after-execute)',
      '200  @                        |      timeout #1: envia de novo',
      '201  |                  +     |      w1.1 começa (reinício)',
      '202  |----------------->|     |      trabalho #2',
      '     |                  *     |      w1.1 executa DE NOVO',
      '     |                  |---->|      w1.1 marca como executada',
      '203  |<-----------------|     |      ack #2',
      'relógio virtual, ms  -> mensagem  x descartada  * efeito  X crash  + reinício',
      '  @ timeout',
    ]);
    // A terminal that is not UTF-8 gets no accent either.
    expect(toAscii(lines.join('\n'))).toMatch(/^[\x20-\x7e\n]*$/);
    expect(toAscii(lines[0] ?? '')).toBe(
      'epoca 1  EXECUTADA 2x  w1 morreu depois de executa-la e antes de marca-la (o',
    );
  });

  it('a held-back ack and a dedupe skip: the mark, the skip, the late ack', () => {
    const lines = renderSequenceDiagram(lifeOf('exactly-once', SKIP), unicode);
    expect(lines).toEqual([
      'epoch 1  ok',
      ' ms  dispatcher  w1.0  w2.0  store',
      '  1  ├──────────▶│           │      work #1',
      '     │           ●           │      w1.0 executes (effect)',
      '     │           ├──────────▶│      w1.0 marks it executed',
      '     │     ~─────┤           │      ack #1 held back 500 ms',
      '200  ◷           │           │      timeout #1: send again',
      '201  ├────────────────▶│     │      work #2',
      '     │           │     │◀────┤      w2.0 finds the mark: skip',
      '202  │◀────────────────┤     │      ack #2',
      '502  │◀~         │     │     │      late ack #1 arrives',
      'virtual clock, ms  ─▶ message  ✕ dropped  ● effect  ✖ crash  ↻ restart',
      '  ◷ timeout',
    ]);
  });

  it('colours arrows and marks, and only them, when colour is on', () => {
    const lines = renderSequenceDiagram(lifeOf('exactly-once', SKIP), {
      ...unicode,
      colour: new Chalk({ level: 1 }),
    });
    expect(lines[2]).toBe(
      '\u001b[2m  1\u001b[22m  \u001b[36m├──────────▶\u001b[39m│           │      work #1',
    );
    expect(lines[3]).toBe(
      '\u001b[2m   \u001b[22m  │           \u001b[33m●\u001b[39m           │      w1.0 executes (effect)',
    );
  });

  it('fits 80 columns in every case, in both languages, and ASCII means ASCII in English', () => {
    for (const [semantics, history] of [
      ['at-most-once', DROP],
      ['at-least-once', LOST_ACK],
      ['exactly-once', CRASH],
      ['exactly-once', SKIP],
    ] as const) {
      const life = lifeOf(semantics, history, CRASH_STARTS);
      for (const m of [en, ptBR]) {
        expectFits(renderSequenceDiagram(life, { ...unicode, m }));
        expectFits(renderSequenceDiagram(life, { ...ascii, m }));
      }
      for (const line of renderSequenceDiagram(life, ascii)) expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it('keeps the tenths of wall ms on the real clock', () => {
    const life = { ...lifeOf('exactly-once', CRASH, CRASH_STARTS), clock: 'real' as const };
    const lines = renderSequenceDiagram(life, ascii);
    expect(lines.slice(2, 4)).toEqual([
      '   ms  dispatcher  w1.0  w1.1  store',
      '  1.0  |---------->|           |      work #1',
    ]);
    expect(lines.at(-1)).toBe(
      'real clock, ms  -> message  x dropped  * effect  X crash  + restart  @ timeout',
    );
  });

  it('narrows lanes and wraps notes to stay within a narrower width', () => {
    const life = lifeOf('exactly-once', SKIP);
    const lines = renderSequenceDiagram(life, { ...ascii, width: 50 });
    expectFits(lines, 50);
    expect(lines.slice(1, 7)).toEqual([
      ' ms  dis   w1.0  w2.0  sto',
      '  1  |---->|           |    work #1',
      '     |     *           |    w1.0 executes (effect)',
      '     |     |---------->|    w1.0 marks it executed',
      '     |  ~--|           |    ack #1 held back 500',
      '     |     |           |    ms',
    ]);
  });
});
