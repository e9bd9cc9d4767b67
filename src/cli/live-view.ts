import type { ChalkInstance } from 'chalk';
import type { Progress } from '../core/ipc.js';
import type { WorkerState } from '../core/supervisor.js';
import type { LiveSwitch } from '../faults/spec.js';
import { messages } from '../i18n/catalog.js';
import { crashDetailWords, fitItems, tickerWords } from './live-words.js';
import type { RunDisplay } from './terminal.js';

/** What the keys of the live view act on (the supervisor, in practice). */
export interface LiveControls {
  setSwitch(which: LiveSwitch, on: boolean): void;
  /** Kills the named worker, or one at random; returns the one killed. */
  crashWorker(workerId?: string): string | undefined;
  /** Freezes the named worker (SIGSTOP), or thaws it; returns it, or undefined if not running. */
  freezeWorker?(workerId: string): string | undefined;
  /** Cuts the named worker off from the dispatcher, or reconnects it. */
  cutWorker?(workerId: string): string | undefined;
  quit(): void;
}

/** The keys, as the bottom line of the view shows them. */
const SWITCH_KEYS: Record<string, LiveSwitch> = {
  d: 'drop-work',
  a: 'drop-ack',
  s: 'slow-ack',
  p: 'pause',
};
const CTRL_C = '\u0003';

/**
 * The live view of a run on a terminal: a block of lines on stderr redrawn in place (a progress
 * bar, the counters, each worker's state, the switches, the latest faults) and single keys that
 * inject faults while the class watches. Drawn only where stderr and stdin are a terminal; the
 * final table goes to stdout as always.
 */
export class LiveView implements RunDisplay {
  private progress: Progress = { sent: 0, acked: 0, settled: 0, inFlight: 0 };
  private readonly workerStates = new Map<string, { state: WorkerState; detail?: string }>();
  private readonly switches = new Set<LiveSwitch>();
  private readonly notes: string[] = [];
  private drawnLines = 0;
  private readonly words = messages().live;
  private lastDrawAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly onKey = (data: Buffer): void => this.key(data.toString('utf8'));
  /** `z` was pressed: the next digit names the worker to freeze or thaw. */
  private choosingFreeze = false;
  /** `x` was pressed: the next digit names the worker to cut off or reconnect. */
  private choosingCut = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly keys: NodeJS.ReadStream,
    private readonly colour: ChalkInstance,
    private readonly title: string,
    private readonly total: number,
    workers: number,
    private readonly controls: LiveControls,
  ) {
    for (let i = 1; i <= workers; i++) this.workerStates.set(`w${i}`, { state: 'starting' });
  }

  start(): void {
    this.keys.setRawMode(true);
    this.keys.resume();
    this.keys.on('data', this.onKey);
    // Redrawn on a timer too, so worker states and key presses show even when nothing settles.
    this.timer = setInterval(() => this.draw(true), 250);
    this.draw(true);
  }

  update(progress: Progress): void {
    this.progress = progress;
    this.draw();
  }

  workerState(worker: string, state: WorkerState, detail?: string): void {
    this.workerStates.set(worker, { state, ...(detail ? { detail } : {}) });
    if (state === 'crashed') {
      const said = detail ? crashDetailWords(detail, messages()) : undefined;
      this.note(this.words.died({ worker, ...(said ? { detail: said } : {}) }));
    }
    this.draw(true);
  }

  setNote(note: string): void {
    this.note(note);
  }

  /** Takes the view off the screen and gives the terminal back (again: a no-op). */
  clear(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.keys.off('data', this.onKey);
    if (this.keys.isTTY) this.keys.setRawMode(false);
    this.keys.pause();
    this.erase();
  }

  private key(text: string): void {
    for (const key of text) {
      if (key === 'q' || key === CTRL_C) {
        this.note(this.words.quitting);
        this.controls.quit();
        return;
      }
      if (this.choosingFreeze) {
        this.choosingFreeze = false;
        if (/^[1-9]$/.test(key)) {
          const frozen = this.controls.freezeWorker?.(`w${key}`);
          this.note(frozen ? this.words.freezing({ worker: frozen }) : this.words.noWorkerToFreeze);
          continue;
        }
      }
      if (this.choosingCut) {
        this.choosingCut = false;
        if (/^[1-9]$/.test(key)) {
          const cut = this.controls.cutWorker?.(`w${key}`);
          this.note(cut ? this.words.cutting({ worker: cut }) : this.words.noWorkerToFreeze);
          continue;
        }
      }
      if (key === 'x' && this.controls.cutWorker) {
        this.choosingCut = true;
        this.note(this.words.cutWhich);
        continue;
      }
      if (key === 'z' && this.controls.freezeWorker) {
        this.choosingFreeze = true;
        this.note(this.words.freezeWhich);
        continue;
      }
      const which = SWITCH_KEYS[key];
      if (which) {
        const on = !this.switches.has(which);
        if (on) this.switches.add(which);
        else this.switches.delete(which);
        this.controls.setSwitch(which, on);
        this.note(`${this.words.switches[which]} ${on ? this.words.on : this.words.off}`);
      } else if (key === 'c' || /^[1-9]$/.test(key)) {
        const killed = this.controls.crashWorker(key === 'c' ? undefined : `w${key}`);
        this.note(killed ? this.words.killed({ worker: killed }) : this.words.noWorkerYet);
      }
    }
    this.draw(true);
  }

  private note(text: string): void {
    this.notes.push(text);
    if (this.notes.length > 3) this.notes.shift();
  }

  private lines(): string[] {
    const c = this.colour;
    const { sent, acked, settled, inFlight } = this.progress;
    const width = 30;
    const fraction = this.total > 0 ? Math.min(1, settled / this.total) : 1;
    const filled = Math.round(fraction * width);
    const bar = c.green('█'.repeat(filled)) + c.dim('░'.repeat(width - filled));
    const w = this.words;
    const workers = [...this.workerStates]
      .map(([id, { state }]) => {
        const tone = state === 'running' ? c.green : state === 'crashed' ? c.red : c.yellow;
        return `${id} ${tone(w.states[state])}`;
      })
      .join(' · ');
    const switches = (Object.keys(w.switches) as LiveSwitch[])
      .map((s) =>
        // ● on, ○ off: readable without colour (NO_COLOR), where dim and bold look the same.
        this.switches.has(s) ? c.bold.yellow(`● ${w.switches[s]}`) : c.dim(`○ ${w.switches[s]}`),
      )
      .join(' · ');
    const ticker = (this.progress.recentFaults ?? []).map((entry) =>
      tickerWords(entry, messages()),
    );
    const latest = [...ticker, ...this.notes].slice(-4).join(' · ');
    return [
      c.bold(this.title),
      `${bar} ${Math.floor(fraction * 100)}%  ${settled}/${this.total} ${w.settled}`,
      `${w.sent} ${sent} · ${w.acked} ${acked} · ${w.inFlight} ${inFlight} · ${w.faults} ${this.progress.faultsInjected ?? 0}`,
      `${w.workers}: ${workers}`,
      `${w.switchesLabel}: ${switches}`,
      `${w.latest}: ${latest || c.dim(w.nothingYet)}`,
      // The key line in as many lines as the terminal's width takes, never cut.
      ...fitItems(w.keys, this.out.columns || 80).map((line) => c.dim(line)),
    ];
  }

  private draw(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDrawAt < 80) return;
    this.lastDrawAt = now;
    // Lines cut to the terminal's width: a wrapped line would break the redraw in place.
    const columns = Math.max(20, (this.out.columns || 100) - 1);
    const lines = this.lines().map((line) => clip(line, columns));
    let text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
    for (const line of lines) text += `\x1b[2K${line}\n`;
    this.out.write(text);
    this.drawnLines = lines.length;
  }

  private erase(): void {
    if (this.drawnLines === 0) return;
    this.out.write(`\x1b[${this.drawnLines}F\x1b[0J`);
    this.drawnLines = 0;
  }
}

/** Cuts a line with colour codes to `columns` visible characters. */
function clip(line: string, columns: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      if (end > 0) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= columns) continue;
    out += line[i];
    visible++;
  }
  return out;
}
