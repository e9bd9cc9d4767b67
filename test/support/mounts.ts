import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small tmpfs mounted on a fresh folder, for disks that are full or read-only: chmod does not
 * stop root (the suite's user), a mount does. Unmounted and removed by `release`, whatever the
 * test did.
 */
export function mountTmpfs(sizeKb: number): {
  dir: string;
  readOnly: () => void;
  release: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'semlab-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  return {
    dir,
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    release: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
