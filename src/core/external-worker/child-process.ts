import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * One carrier of the protocol's lines: a student's program started as a child process, lines
 * written to its stdin and read from its stdout, its stderr appended to a log file in the run
 * folder. The protocol itself (./messages.ts, ./student-worker.ts) only sees `send` and `receive`,
 * so a later carrier (a TCP socket) can stand in for this one.
 *
 * The child stays in this process's process group: the supervisor starts a worker that runs a
 * student's program as the leader of a group of its own and kills that whole group when the worker
 * dies, however it dies (kill -9 included), so no student process outlives its semlab worker.
 */
export type Received =
  | { kind: 'line'; text: string; number: number }
  | { kind: 'exit'; code: number | null; signal: string | null }
  | { kind: 'timeout' };

/** A line longer than this is a broken worker, not a message. */
const MAX_LINE = 1024 * 1024;

export class ChildChannel {
  private readonly child: ChildProcess;
  private buffered = '';
  private readonly lines: string[] = [];
  private linesRead = 0;
  private exit: { code: number | null; signal: string | null } | undefined;
  private wake: (() => void) | undefined;
  /** The last line semlab wrote, for a verdict that names what went unanswered. */
  lastSent = '';

  constructor(command: string, logPath: string) {
    const log = openSync(logPath, 'a');
    this.child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', log] });
    closeSync(log);
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      this.buffered += chunk;
      let newline = this.buffered.indexOf('\n');
      while (newline >= 0) {
        this.lines.push(this.buffered.slice(0, newline).replace(/\r$/, ''));
        this.buffered = this.buffered.slice(newline + 1);
        newline = this.buffered.indexOf('\n');
      }
      if (this.buffered.length > MAX_LINE) {
        this.lines.push(this.buffered);
        this.buffered = '';
      }
      this.wake?.();
    });
    // A child that died leaves a broken pipe: its exit is what the protocol reports.
    this.child.stdin?.on('error', () => undefined);
    // 'close' waits for stdout to end, so every line it printed is read before its exit is seen.
    this.child.on('close', (code, signal) => {
      this.exit = { code, signal };
      this.wake?.();
    });
    this.child.on('error', () => {
      this.exit ??= { code: 127, signal: null };
      this.wake?.();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(line: string): void {
    this.lastSent = line;
    this.child.stdin?.write(line + '\n');
  }

  /** The next line, or the child's exit, or nothing within `timeoutMs`. */
  async receive(timeoutMs: number): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        this.linesRead += 1;
        return { kind: 'line', text: line, number: this.linesRead };
      }
      if (this.exit) return { kind: 'exit', ...this.exit };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** Lines read so far: the number of the next line is this plus one. */
  get lineCount(): number {
    return this.linesRead;
  }

  /** Ends the child at once (and, with it, its stdin). */
  kill(): void {
    if (this.exit) return;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
