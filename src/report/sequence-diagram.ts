import type { ChalkInstance } from 'chalk';
import type { Catalog } from '../i18n/catalog.js';
import type { DiagramNoteFact } from '../i18n/trace-words.js';
import type { EpochLife, Lane, LifeRow } from './epoch-life.js';

/**
 * An epoch's life (epoch-life.ts) drawn as a sequence diagram for a terminal: time runs down,
 * one column per lane, an arrow or a mark per row, and beside it a note in the reader's
 * language. A pure function from the model to lines.
 *
 * Contract:
 * - every line is at most `width` columns (default 80) wide, counted without colour codes, for
 *   up to 8 lanes (more than an epoch meets): lanes narrow their labels when there are many,
 *   notes and the cause wrap;
 * - `ascii`: ASCII glyphs and symbols (for a terminal that is not UTF-8, and with NO_COLOR):
 *   English output is then pure ASCII; other languages keep their letters (`toAscii` strips
 *   their accents too, for a terminal that cannot show them); otherwise box-drawing lines and a
 *   few single-width symbols;
 * - colour only through `colour` (a chalk at level 0 adds none);
 * - the first line is the epoch, its outcome and its cause (as `semlab trace` prints them), the
 *   last the legend.
 */

export interface DiagramOptions {
  readonly ascii: boolean;
  readonly colour: ChalkInstance;
  readonly m: Catalog;
  readonly width?: number;
}

interface Glyphs {
  bar: string;
  line: string;
  right: string;
  left: string;
  outRight: string;
  outLeft: string;
  drop: string;
  unknown: string;
  held: string;
  effect: string;
  crash: string;
  restart: string;
  timeout: string;
}

const UNICODE: Glyphs = {
  bar: '│',
  line: '─',
  right: '▶',
  left: '◀',
  outRight: '├',
  outLeft: '┤',
  drop: '✕',
  unknown: '?',
  held: '~',
  effect: '●',
  crash: '✖',
  restart: '↻',
  timeout: '◷',
};

const ASCII: Glyphs = {
  bar: '|',
  line: '-',
  right: '>',
  left: '<',
  outRight: '|',
  outLeft: '|',
  drop: 'x',
  unknown: '?',
  held: '~',
  effect: '*',
  crash: 'X',
  restart: '+',
  timeout: '@',
};

type Paint =
  'work' | 'ack' | 'drop' | 'effect' | 'again' | 'store' | 'crash' | 'restart' | 'timeout';

/** One character cell of a row, and how it is coloured. */
interface Cell {
  ch: string;
  paint?: Paint;
}

const NOTE_MIN = 24;

export function renderSequenceDiagram(life: EpochLife, options: DiagramOptions): string[] {
  const { colour, m } = options;
  const width = options.width ?? 80;
  const g = options.ascii ? ASCII : UNICODE;
  const words = m.trace;
  const paint = (p: Paint | undefined, text: string): string => {
    switch (p) {
      case 'work':
        return colour.cyan(text);
      case 'ack':
        return colour.green(text);
      case 'drop':
      case 'crash':
      case 'again':
        return colour.red(text);
      case 'effect':
      case 'timeout':
        return colour.yellow(text);
      case 'store':
        return colour.magenta(text);
      case 'restart':
        return colour.green(text);
      default:
        return text;
    }
  };

  const lines: string[] = [];
  // The epoch, its outcome and cause, as `semlab trace` says them, wrapped.
  const label =
    life.outcome === 'lost'
      ? m.lostLabel
      : life.outcome === 'duplicate'
        ? m.executedTimes(life.executions)
        : m.okLabel;
  const labelPaint =
    life.outcome === 'lost'
      ? colour.red
      : life.outcome === 'duplicate'
        ? colour.yellow
        : colour.green;
  const head = `${m.epoch(life.epoch)}  ${label}`;
  // "EXECUTED 2×": the one symbol of the catalog's words that ASCII lacks.
  const text = (words: string): string => (options.ascii ? words.replace(/×/g, 'x') : words);
  const cause = life.cause ? words.cause(life.cause) : '';
  const headLines = wrap(text(cause ? `${head}  ${cause}` : head), width, 2);
  headLines.forEach((line, i) => {
    lines.push(
      i === 0
        ? colour.bold(m.epoch(life.epoch)) +
            '  ' +
            labelPaint(text(label)) +
            line.slice(head.length)
        : line,
    );
  });

  // Columns: the time, then the lanes, then the notes.
  const times = life.rows.map((row) => formatMs(row.at, life.clock));
  const timeWidth = Math.max(words.msColumn.length, ...times.map((t) => t.length));
  const labels = life.lanes.map((lane) => laneLabel(lane, m));
  const gutter = timeWidth + 2;
  let x: number[] = [];
  let regionWidth = 0;
  let shown: string[] = [];
  // Narrow the lane labels until the notes have room (or the labels are as short as they get).
  for (let max = 12; max >= 3; max--) {
    // A worker's label is its name, never cut; "dispatcher" and "store" can be.
    shown = labels.map((l, i) =>
      life.lanes[i]?.kind === 'worker' || l.length <= max ? l : l.slice(0, max),
    );
    x = [];
    let at = 0;
    shown.forEach((l, i) => {
      x.push(at);
      if (i < shown.length - 1) at += Math.max(l.length + 2, 6);
    });
    regionWidth = at + Math.max(1, shown.at(-1)?.length ?? 1);
    if (width - gutter - regionWidth - 2 >= NOTE_MIN) break;
  }
  const noteStart = gutter + regionWidth + 2;
  const noteWidth = Math.max(8, width - noteStart);
  const laneIndex = new Map(life.lanes.map((lane, i) => [lane.id, i]));
  const xOf = (id: string): number => x[laneIndex.get(id) ?? 0] ?? 0;

  // When each worker lane is drawn: from its first row to its crash.
  const span = new Map<string, { first: number; last: number }>();
  life.rows.forEach((row, i) => {
    for (const id of lanesOf(row)) {
      const s = span.get(id);
      if (!s)
        span.set(id, { first: i, last: row.kind === 'crash' && row.lane === id ? i : Infinity });
      else if (row.kind === 'crash' && row.lane === id) s.last = i;
    }
  });
  const alive = (lane: Lane, i: number): boolean => {
    if (lane.kind !== 'worker') return true;
    const s = span.get(lane.id);
    return s !== undefined && i >= s.first && i <= s.last;
  };

  const header = ' '.repeat(gutter) + placeLabels(shown, x, regionWidth);
  lines.push(
    ' '.repeat(timeWidth - words.msColumn.length) + words.msColumn + header.slice(timeWidth),
  );

  let lastTime: string | undefined;
  life.rows.forEach((row, i) => {
    const cells: Cell[] = Array.from({ length: regionWidth }, () => ({ ch: ' ' }));
    life.lanes.forEach((lane, li) => {
      if (alive(lane, i)) cells[x[li] ?? 0] = { ch: g.bar };
    });
    drawRow(row, cells, g, xOf, x[1] ?? regionWidth - 1);
    const time = times[i] ?? '';
    const timeText = time === lastTime ? ' '.repeat(timeWidth) : time.padStart(timeWidth);
    lastTime = time;
    const region = renderCells(cells, paint);
    const notes = wrap(words.note(noteOf(row)), noteWidth, 0);
    notes.forEach((note, n) => {
      if (n === 0) {
        lines.push(`${colour.dim(timeText)}  ${region}  ${note}`.trimEnd());
      } else {
        const bars: Cell[] = Array.from({ length: regionWidth }, () => ({ ch: ' ' }));
        life.lanes.forEach((lane, li) => {
          if (alive(lane, i) && alive(lane, i + 1)) bars[x[li] ?? 0] = { ch: g.bar };
        });
        lines.push(`${' '.repeat(timeWidth)}  ${renderCells(bars, paint)}  ${note}`.trimEnd());
      }
    });
  });

  const legend = words.legend({
    arrow: `${g.line}${g.right}`,
    drop: g.drop,
    effect: g.effect,
    crash: g.crash,
    restart: g.restart,
    timeout: g.timeout,
  });
  // The legend wraps between its items, never inside one ("◷ timeout" stays together).
  const items = `${words.diagramClock(life.clock)}, ${words.msColumn}  ${legend}`.split(/ {2,}/);
  for (const line of wrapItems(items, width, 2)) lines.push(colour.dim(line));
  return lines;
}

function laneLabel(lane: Lane, m: Catalog): string {
  if (lane.kind === 'dispatcher') return m.trace.dispatcherLane;
  if (lane.kind === 'store') return m.trace.storeLane;
  return lane.id;
}

/** The lane labels, each starting at its lane's column. */
function placeLabels(labels: readonly string[], x: readonly number[], regionWidth: number): string {
  const chars = Array.from({ length: regionWidth }, () => ' ');
  labels.forEach((label, i) => {
    [...label].forEach((ch, k) => {
      const at = (x[i] ?? 0) + k;
      if (at < regionWidth) chars[at] = ch;
    });
  });
  return chars.join('');
}

/** The lanes a row involves, so a worker lane is drawn from its first appearance. */
function lanesOf(row: LifeRow): string[] {
  switch (row.kind) {
    case 'work':
      return [row.to];
    case 'effect':
    case 'mark':
    case 'skip':
    case 'crash':
    case 'restart':
      return [row.lane];
    case 'ack':
    case 'ack-dropped':
    case 'ack-held':
    case 'ack-unseen':
      return [row.from];
    default:
      return [];
  }
}

/** `away`: the column a message with no lane heads for (the first lane after the dispatcher). */
function drawRow(
  row: LifeRow,
  cells: Cell[],
  g: Glyphs,
  xOf: (id: string) => number,
  away: number,
): void {
  const d = xOf('dispatcher');
  const set = (at: number, ch: string, paint?: Paint): void => {
    if (at >= 0 && at < cells.length) cells[at] = paint ? { ch, paint } : { ch };
  };
  /** A full arrow from one lane to another. */
  const arrow = (from: number, to: number, paint: Paint): void => {
    const step = to > from ? 1 : -1;
    set(from, step > 0 ? g.outRight : g.outLeft, paint);
    for (let at = from + step; at !== to - step; at += step) set(at, g.line, paint);
    set(to - step, step > 0 ? g.right : g.left, paint);
  };
  /** An arrow that leaves a lane and stops halfway, ending in `end`. */
  const cut = (from: number, toward: number, end: string, paint: Paint): void => {
    const step = toward > from ? 1 : -1;
    const length = Math.max(2, Math.floor(Math.abs(toward - from) / 2));
    set(from, step > 0 ? g.outRight : g.outLeft, paint);
    for (let k = 1; k < length; k++) set(from + step * k, g.line, paint);
    set(from + step * length, end, 'drop');
  };
  switch (row.kind) {
    case 'work':
      arrow(d, xOf(row.to), 'work');
      return;
    case 'work-dropped':
      cut(d, away, g.drop, 'work');
      return;
    case 'work-unreceived':
      cut(d, away, g.unknown, 'work');
      return;
    case 'work-held':
      cut(d, away, g.held, 'work');
      return;
    case 'effect':
      set(xOf(row.lane), g.effect, row.again ? 'again' : 'effect');
      return;
    case 'mark':
      arrow(xOf(row.lane), xOf('store'), 'store');
      return;
    case 'skip':
      arrow(xOf('store'), xOf(row.lane), 'store');
      return;
    case 'crash':
      set(xOf(row.lane), g.crash, 'crash');
      return;
    case 'restart':
      set(xOf(row.lane), g.restart, 'restart');
      return;
    case 'ack':
      arrow(xOf(row.from), d, 'ack');
      return;
    case 'ack-dropped':
      cut(xOf(row.from), d, g.drop, 'ack');
      return;
    case 'ack-held':
      cut(xOf(row.from), d, g.held, 'ack');
      return;
    case 'ack-unseen':
      cut(xOf(row.from), d, g.unknown, 'ack');
      return;
    case 'ack-late':
      set(d + 1, g.left, 'ack');
      set(d + 2, g.held, 'ack');
      return;
    case 'timeout':
      set(d, g.timeout, 'timeout');
      return;
  }
}

function noteOf(row: LifeRow): DiagramNoteFact {
  switch (row.kind) {
    case 'work':
      return { kind: 'work', attempt: row.attempt, to: row.to };
    case 'work-dropped':
      return { kind: 'work-dropped', attempt: row.attempt, ...(row.live ? { live: true } : {}) };
    case 'work-held':
      return { kind: 'work-held', attempt: row.attempt, ms: row.ms };
    case 'work-unreceived':
      return { kind: 'work-unreceived', attempt: row.attempt };
    case 'effect':
      return { kind: 'effect', worker: row.lane, again: row.again };
    case 'mark':
      return { kind: 'mark', worker: row.lane };
    case 'skip':
      return { kind: 'skip', worker: row.lane };
    case 'crash':
      return { kind: 'crash', lane: row.lane, point: row.point };
    case 'restart':
      return { kind: 'restart', lane: row.lane };
    case 'ack':
      return { kind: 'ack', attempt: row.attempt };
    case 'ack-dropped':
      return { kind: 'ack-dropped', attempt: row.attempt, ...(row.live ? { live: true } : {}) };
    case 'ack-held':
      return { kind: 'ack-held', attempt: row.attempt, ms: row.ms };
    case 'ack-unseen':
      return { kind: 'ack-unseen', attempt: row.attempt };
    case 'ack-late':
      return { kind: 'ack-late', attempt: row.attempt };
    case 'timeout':
      return { kind: 'timeout', attempt: row.attempt, retry: row.retry };
  }
}

/** Cells to text, one colour call per run of equally painted cells. */
function renderCells(
  cells: readonly Cell[],
  paint: (p: Paint | undefined, text: string) => string,
): string {
  let out = '';
  let run = '';
  let current: Paint | undefined;
  for (const cell of cells) {
    if (cell.paint !== current && run) {
      out += paint(current, run);
      run = '';
    }
    current = cell.paint;
    run += cell.ch;
  }
  return out + paint(current, run);
}

/** Virtual ms are whole ("201"); wall ms keep their tenths, always shown ("4227.0"). */
function formatMs(ms: number, clock: EpochLife['clock']): string {
  return clock === 'real' ? ms.toFixed(1) : String(ms);
}

/** Items joined by two spaces into lines of at most `width` characters (an item never splits). */
function wrapItems(items: readonly string[], width: number, indent: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const item of items) {
    const candidate = line === '' ? item : `${line}  ${item}`;
    if ([...candidate].length <= width || line === '') line = candidate;
    else {
      out.push(line);
      line = ' '.repeat(indent) + item;
    }
  }
  if (line !== '') out.push(line);
  return out.flatMap((l) => ([...l].length <= width ? [l] : wrap(l, width, indent)));
}

/** Words into lines of at most `width` characters; lines after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const pad = out.length === 0 ? '' : ' '.repeat(indent);
    const candidate = line === '' ? pad + word : `${line} ${word}`;
    if ([...candidate].length <= width || line === '') {
      line = candidate;
      // A single word longer than the line is cut: nothing may pass the width.
      while ([...line].length > width) {
        out.push([...line].slice(0, width).join(''));
        line = ' '.repeat(indent) + [...line].slice(width).join('');
      }
    } else {
      out.push(line);
      line = ' '.repeat(indent) + word;
    }
  }
  if (line.trim() !== '' || out.length === 0) out.push(line);
  return out;
}

/**
 * Text for a terminal that is not UTF-8: accents dropped (é → e), the few symbols semlab prints
 * spelled in ASCII, anything else left out as "?". Colour codes pass through.
 */
export function toAscii(text: string): string {
  return (
    text
      .normalize('NFD')
      // Combining marks: the accents NFD split off their letters.
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/×/g, 'x')
      .replace(/·/g, '-')
      .replace(/→/g, '->')
      .replace(/…/g, '...')
      .replace(/[’‘]/g, "'")
      .replace(/[“”]/g, '"')
      // eslint-disable-next-line no-control-regex -- everything outside ASCII, escape included
      .replace(/[^\u0000-\u007f]/g, '?')
  );
}
