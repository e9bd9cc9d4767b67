import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * A real headless Chromium (Debian's `chromium`, installed by scripts/setup), driven over the
 * DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and
 * 4). No client library: the handful of commands the report's test needs fit here, and the
 * browser opens no port. It records every console error, uncaught exception, log error (a
 * Content-Security-Policy violation is one) and network request of the page.
 */
export const CHROMIUM = (process.env.PATH ?? '')
  .split(':')
  .flatMap((dir) => [join(dir, 'chromium'), join(dir, 'chromium-browser')])
  .find((path) => existsSync(path));

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  private session = '';
  private buffer = '';
  /** Every URL the page requested, the document's own included. */
  readonly requests: string[] = [];
  /** Console errors, uncaught exceptions and error log entries, as text. */
  readonly errors: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const input = child.stdio[4] as Readable;
    input.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
    this.listeners.push((method, params) => this.record(method, params));
  }

  static async launch(): Promise<Browser> {
    if (!CHROMIUM) throw new Error('chromium is not installed: run scripts/setup');
    const profile = mkdtempSync(join(tmpdir(), 'semlab-chromium-'));
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        // Nothing could be fetched even if the page tried: no proxy answers, no name resolves.
        '--proxy-server=127.0.0.1:9',
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--window-size=1280,900',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const browser = new Browser(child, profile);
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    browser.session = String(sessionId);
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) {
      await browser.send(`${domain}.enable`, {}, true);
    }
    return browser;
  }

  private receive(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
      };
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiting?.reject(new Error(message.error.message));
        else waiting?.resolve(message.result ?? {});
      } else if (message.method) {
        for (const listener of this.listeners) listener(message.method, message.params ?? {});
      }
    }
  }

  private record(method: string, params: Record<string, unknown>): void {
    if (method === 'Network.requestWillBeSent') {
      this.requests.push(String((params.request as { url: string }).url));
    } else if (method === 'Runtime.exceptionThrown') {
      const details = params.exceptionDetails as {
        text: string;
        exception?: { description?: string };
      };
      this.errors.push(`${details.text} ${details.exception?.description ?? ''}`);
    } else if (method === 'Runtime.consoleAPICalled' && params.type === 'error') {
      this.errors.push(`console.error: ${JSON.stringify(params.args)}`);
    } else if (method === 'Log.entryAdded') {
      const entry = params.entry as { level: string; text: string };
      if (entry.level === 'error') this.errors.push(`log: ${entry.text}`);
    }
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    inPage = false,
  ): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const output = this.child.stdio[3] as Writable;
    const message = { id, method, params, ...(inPage ? { sessionId: this.session } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      output.write(JSON.stringify(message) + '\0');
    });
  }

  /** Opens a URL and waits for its load event. */
  async open(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => {
      this.listeners.push((method) => {
        if (method === 'Page.loadEventFired') resolve();
      });
    });
    await this.send('Page.navigate', { url }, true);
    await loaded;
  }

  /** The value of an expression in the page (a promise is awaited). */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
      true,
    );
    if (result.exceptionDetails) {
      throw new Error(`in the page: ${JSON.stringify(result.exceptionDetails)}`);
    }
    return (result.result as { value: T }).value;
  }

  /**
   * Waits until an expression is true in the page (what a click sets off, a hashchange, runs
   * after the click returns): polled each frame, false after `ms`.
   */
  waitFor(expression: string, ms = 5000): Promise<boolean> {
    return this.evaluate<boolean>(`new Promise((resolve) => {
      const until = Date.now() + ${ms};
      const check = () => {
        if (${expression}) resolve(true);
        else if (Date.now() > until) resolve(false);
        else requestAnimationFrame(check);
      };
      check();
    })`);
  }

  /** Moves the real pointer to a point of the viewport (hover). */
  async hover(x: number, y: number): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y }, true);
  }

  /** A real click (press and release) at a point of the viewport. */
  async click(x: number, y: number): Promise<void> {
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send(
        'Input.dispatchMouseEvent',
        { type, x, y, button: 'left', clickCount: 1 },
        true,
      );
    }
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.send('Browser.close').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
