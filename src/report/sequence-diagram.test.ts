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
  SLOW_ACK,
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

/** What a terminal shows of a coloured line: the line without its escape codes. */
// eslint-disable-next-line no-control-regex -- stripping escape codes is the point
const unstyled = (line: string): string => line.replace(/\u001b\[[0-9;]*m/g, '');

describe('golden diagrams at 80 columns, English and pt-BR, with and without colour', () => {
  const colour = new Chalk({ level: 1 });

  it('a work drop under at-most-once, in pt-BR', () => {
    const lines = renderSequenceDiagram(lifeOf('at-most-once', DROP), { ...unicode, m: ptBR });
    expect(lines).toEqual([
      'época 1  PERDIDA  a rede descartou todos os envios (1); at-most-once nunca envia',
      '  de novo',
      ' ms  despachante',
      '  0  ├────✕       trabalho #1 descartado',
      '200  ◷            timeout #1: desiste',
      'relógio virtual, ms  ─▶ mensagem  ✕ descartada  ● efeito  ✖ crash  ↻ reinício',
      '  ◷ timeout',
    ]);
    expectFits(lines);
  });

  it('a work drop under at-most-once, in colour: the verdict red, the arrow cyan, the drop red', () => {
    const lines = renderSequenceDiagram(lifeOf('at-most-once', DROP), { ...unicode, colour });
    expect(lines).toEqual([
      '\u001b[1mepoch 1\u001b[22m  \u001b[31mLOST\u001b[39m  the network dropped every send (1); at-most-once never sends',
      '  again',
      ' ms  dispatcher',
      '\u001b[2m  0\u001b[22m  \u001b[36m├───\u001b[39m\u001b[31m✕\u001b[39m       work #1 dropped',
      '\u001b[2m200\u001b[22m  \u001b[33m◷\u001b[39m           timeout #1: give up',
      '\u001b[2mvirtual clock, ms  ─▶ message  ✕ dropped  ● effect  ✖ crash  ↻ restart\u001b[22m',
      '\u001b[2m  ◷ timeout\u001b[22m',
    ]);
    // Colour adds escape codes and nothing else: the same picture as without it.
    expect(lines.map(unstyled)).toEqual(
      renderSequenceDiagram(lifeOf('at-most-once', DROP), unicode),
    );
  });

  it('a slow ack (--delay-ack) under at-least-once: held back past the timeout, run again, arriving late', () => {
    const lines = renderSequenceDiagram(lifeOf('at-least-once', SLOW_ACK), unicode);
    expect(lines).toEqual([
      'epoch 1  EXECUTED 2×  the ack of attempt 1 was 500 ms late, past the 200 ms',
      '  timeout: a slow ack looks lost, so it was sent and run again',
      ' ms  dispatcher  w1.0  w2.0',
      '  1  ├──────────▶│           work #1',
      '     │           ●           w1.0 executes (effect)',
      '     │     ~─────┤           ack #1 held back 500 ms',
      '200  ◷           │           timeout #1: send again',
      '201  ├────────────────▶│     work #2',
      '     │           │     ●     w2.0 executes AGAIN',
      '202  │◀────────────────┤     ack #2',
      '502  │◀~         │     │     late ack #1 arrives',
      'virtual clock, ms  ─▶ message  ✕ dropped  ● effect  ✖ crash  ↻ restart',
      '  ◷ timeout',
    ]);
    expectFits(lines);
  });

  it('a slow ack in pt-BR, in ASCII', () => {
    const lines = renderSequenceDiagram(lifeOf('at-least-once', SLOW_ACK), { ...ascii, m: ptBR });
    expect(lines).toEqual([
      'época 1  EXECUTADA 2x  o ack da tentativa 1 atrasou 500 ms, além do timeout de',
      '  200 ms: um ack lento parece perdido, então ela foi enviada e rodada de novo',
      ' ms  despachante  w1.0  w2.0',
      '  1  |----------->|           trabalho #1',
      '     |            *           w1.0 executa (efeito)',
      '     |      ~-----|           ack #1 retido 500 ms',
      '200  @            |           timeout #1: envia de novo',
      '201  |----------------->|     trabalho #2',
      '     |            |     *     w2.0 executa DE NOVO',
      '202  |<-----------------|     ack #2',
      '502  |<~          |     |     ack #1 atrasado chega',
      'relógio virtual, ms  -> mensagem  x descartada  * efeito  X crash  + reinício',
      '  @ timeout',
    ]);
    expectFits(lines);
  });

  it('a slow ack in pt-BR, in colour: the second execution red, the late ack green', () => {
    const lines = renderSequenceDiagram(lifeOf('at-least-once', SLOW_ACK), {
      ...unicode,
      colour,
      m: ptBR,
    });
    expect(lines).toEqual([
      '\u001b[1mépoca 1\u001b[22m  \u001b[33mEXECUTADA 2×\u001b[39m  o ack da tentativa 1 atrasou 500 ms, além do timeout de',
      '  200 ms: um ack lento parece perdido, então ela foi enviada e rodada de novo',
      ' ms  despachante  w1.0  w2.0',
      '\u001b[2m  1\u001b[22m  \u001b[36m├───────────▶\u001b[39m│           trabalho #1',
      '\u001b[2m   \u001b[22m  │            \u001b[33m●\u001b[39m           w1.0 executa (efeito)',
      '\u001b[2m   \u001b[22m  │      \u001b[31m~\u001b[39m\u001b[32m─────┤\u001b[39m           ack #1 retido 500 ms',
      '\u001b[2m200\u001b[22m  \u001b[33m◷\u001b[39m            │           timeout #1: envia de novo',
      '\u001b[2m201\u001b[22m  \u001b[36m├─────────────────▶\u001b[39m│     trabalho #2',
      '\u001b[2m   \u001b[22m  │            │     \u001b[31m●\u001b[39m     w2.0 executa DE NOVO',
      '\u001b[2m202\u001b[22m  │\u001b[32m◀─────────────────┤\u001b[39m     ack #2',
      '\u001b[2m502\u001b[22m  │\u001b[32m◀~\u001b[39m          │     │     ack #1 atrasado chega',
      '\u001b[2mrelógio virtual, ms  ─▶ mensagem  ✕ descartada  ● efeito  ✖ crash  ↻ reinício\u001b[22m',
      '\u001b[2m  ◷ timeout\u001b[22m',
    ]);
    expectFits(lines.map(unstyled));
  });
});
