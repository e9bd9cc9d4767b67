import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes each scheduled crash fire once per epoch, on the first delivery that reaches its point,
 * whichever worker gets it and whatever its attempt number (the first send may have been dropped,
 * or lost in the socket of a worker that died). Workers claim a crash by creating a file with
 * O_EXCL in the run folder; the file system makes exactly one claim win, across processes and
 * restarts.
 */
export class CrashGate {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** True for exactly one caller per (epoch, point) over the whole run. */
  claim(epoch: number, point: string): boolean {
    try {
      closeSync(openSync(join(this.dir, `${epoch}.${point}`), 'wx'));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }
}
