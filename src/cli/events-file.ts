import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { localized } from '../i18n/catalog.js';
import { UsageError } from '../shared/errors.js';
import { systemFailure } from '../shared/system-error.js';

/**
 * Checks, before any run starts, that `--events` names a file semlab can create: its folder
 * exists, is writable and the name is not itself a folder. Found only after the run, the same
 * problem would cost the whole run and end in a stack trace.
 */
export function checkEventsFile(file: string, names: readonly string[] = [file]): void {
  const folder = dirname(resolve(file));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // Missing, or a part of the path is a file: either way there is no folder to write into.
  }
  if (!isFolder) throw new UsageError(localized('eventsNoFolder', { file, folder }));
  for (const name of names) {
    if (isDirectory(name)) throw new UsageError(localized('eventsIsFolder', { file: name }));
  }
  try {
    // W_OK also catches a read-only mount, which stops even root.
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      localized('eventsNotWritten', { file, code: systemFailure(error)?.code ?? 'EACCES' }),
    );
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
