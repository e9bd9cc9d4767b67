import pty from '@lydell/node-pty';
import { SEMLAB_BIN } from './semlab.js';

/** A terminal a test types into and reads, with a real pseudo-terminal in between. */
export class Screen {
  private text = '';
  readonly exited: Promise<number>;
  private readonly terminal: pty.IPty;

  constructor(
    args: string[],
    env: NodeJS.ProcessEnv,
    size: { cols: number; rows: number } = { cols: 140, rows: 50 },
  ) {
    this.terminal = pty.spawn(process.execPath, [SEMLAB_BIN, ...args], {
      ...size,
      env: env as Record<string, string>,
    });
    this.terminal.onData((data) => (this.text += data));
    this.exited = new Promise((resolve) =>
      this.terminal.onExit(({ exitCode }) => resolve(exitCode)),
    );
  }

  /** Everything the program wrote, escape codes included. */
  get raw(): string {
    return this.text;
  }

  /** What was shown, without the escape codes that drew it. */
  get shown(): string {
    // eslint-disable-next-line no-control-regex -- stripping terminal escape codes is the point
    return this.text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }

  /** Waits until the screen has shown `pattern` after position `from` of the text shown. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.shown.slice(from).search(pattern);
      if (at >= 0) return from + at;
      if (Date.now() > deadline) {
        throw new Error(
          `the screen never showed ${pattern}; it ends with:\n${this.shown.slice(-1500)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  type(keys: string): void {
    this.terminal.write(keys);
  }

  kill(): void {
    this.terminal.kill();
  }
}
