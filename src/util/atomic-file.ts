import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes a whole file or nothing: the text goes to a file beside it, which is then renamed over
 * the target. A reader (another semlab process listing runs) sees the old file or the new one,
 * never half of one; a process killed half-way leaves only the aside file.
 */
export function writeFileAtomic(path: string, text: string): void {
  const aside = `${path}.${process.pid}.partial`;
  writeFileSync(aside, text);
  renameSync(aside, path);
}
