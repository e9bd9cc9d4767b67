import { Chalk, type ChalkInstance } from 'chalk';
import type { Progress } from '../core/ipc.js';
import { messages } from '../i18n/catalog.js';
import type { WorkerState } from '../core/supervisor.js';

/**
 * Colour only where a person reads it: a TTY, no NO_COLOR (https://no-color.org), no TERM=dumb.
 * FORCE_COLOR overrides, as every colour library honours it.
 */
export function colourFor(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): ChalkInstance {
  const forced =
    env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const enabled = forced || (stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb');
  return new Chalk({ level: enabled ? 1 : 0 });
}

/** How a run shows its progress while it runs: one line, plain lines, or the live view. */
export interface RunDisplay {
  start?(): void;
  update(progress: Progress): void;
  workerState(worker: string, state: WorkerState, detail?: string): void;
  /** A short note, e.g. "w2 died", shown until the next one. */
  setNote(note: string): void;
  /** Off the screen before the results are printed; may be called twice. */
  clear(): void;
}

/**
 * With --no-live: a plain line on stderr at most once a second, no escape codes, for logs and
 * for terminals that garble redrawn lines.
 */
export class PlainProgress implements RunDisplay {
  private lastLineAt = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly total: number,
    private readonly label: string,
  ) {}

  update(progress: Progress): void {
    const now = Date.now();
    if (now - this.lastLineAt < 1000 && progress.settled < this.total) return;
    this.lastLineAt = now;
    const w = messages().live;
    this.stream.write(
      `${this.label}: ${progress.settled}/${this.total} ${w.settled}, ${progress.sent} ${w.sent}, ${progress.acked} ${w.acked}, ${progress.inFlight} ${w.inFlight}\n`,
    );
  }

  workerState(worker: string, state: WorkerState, detail?: string): void {
    if (state === 'crashed')
      this.setNote(messages().live.died({ worker, ...(detail ? { detail } : {}) }));
  }

  setNote(note: string): void {
    this.stream.write(`${this.label}: ${note}\n`);
  }

  clear(): void {}
}

/**
 * A one-line progress bar on stderr, redrawn in place; only on a terminal, so pipes and CI logs
 * never see escape codes.
 */
export class ProgressLine implements RunDisplay {
  private lastDrawAt = 0;
  private drawn = false;
  private note = '';

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
    private readonly label: string,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: Progress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDrawAt < 80 && progress.settled < this.total) return;
    this.lastDrawAt = now;
    const width = 24;
    const fraction = this.total > 0 ? Math.min(1, progress.settled / this.total) : 1;
    const filled = Math.round(fraction * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const w = messages().live;
    const text =
      `${this.label} ${bar} ${Math.floor(fraction * 100)}%  ${progress.settled}/${this.total} ${w.settled}` +
      ` · ${progress.sent} ${w.sent} · ${progress.inFlight} ${w.inFlight}${this.note}`;
    this.stream.write(`\r\x1b[K${text.slice(0, (this.stream.columns || 100) - 1)}`);
    this.drawn = true;
  }

  workerState(worker: string, state: WorkerState, detail?: string): void {
    if (state === 'crashed')
      this.setNote(messages().live.died({ worker, ...(detail ? { detail } : {}) }));
  }

  /** A short note shown at the end of the line until the next one, e.g. "w2 crashed". */
  setNote(note: string): void {
    this.note = note ? ` · ${note}` : '';
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
