import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The desktop's opener, which hands a file to the user's browser: `open` on macOS, `xdg-open`
 * elsewhere (Linux, the BSDs). Found on PATH the way a shell finds it, without running anything,
 * so the lab can say in one line that there is none (a server, a container) instead of failing.
 */
export function findOpener(
  platform: NodeJS.Platform = process.platform,
  path: string = process.env.PATH ?? '',
): string | undefined {
  // Linux has an unrelated `open` (openvt, from kbd): only macOS's is the desktop's opener.
  const name = platform === 'darwin' ? 'open' : 'xdg-open';
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder: the next one.
    }
  }
  return undefined;
}

/**
 * Opens `file` with `opener`, detached: the browser outlives nothing of ours and its output does
 * not land on the lab's screen. Resolves false when the opener could not be started.
 */
export function openWith(opener: string, file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(opener, [file], { detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
