import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { localized } from '../i18n/catalog.js';
import { InfrastructureError } from '../shared/errors.js';
import { systemFailure, type SystemFailure } from '../shared/system-error.js';

/**
 * Why a folder under the state directory could not be made, said so a person can act on it.
 * Node's recursive mkdir reports ENOENT on a read-only file system, which points at the wrong
 * problem: the deepest part of the path that exists is looked at instead. It is a file (the home
 * is a file), or a folder that cannot be written (read-only mount, permissions); otherwise the
 * original error stands.
 */
export function whyNoFolder(path: string, error: unknown): SystemFailure {
  const original = systemFailure(error) ?? { code: 'EIO', path };
  if (original.code !== 'ENOENT' && original.code !== 'ENOTDIR' && original.code !== 'EEXIST') {
    return { code: original.code, path: original.path ?? path };
  }
  for (let at = path; ; at = dirname(at)) {
    let isFolder: boolean;
    try {
      isFolder = statSync(at).isDirectory();
    } catch {
      if (dirname(at) === at) return original;
      continue;
    }
    if (!isFolder) return { code: 'ENOTDIR', path: at };
    try {
      accessSync(at, constants.W_OK);
    } catch (denied) {
      return { code: systemFailure(denied)?.code ?? 'EACCES', path: at };
    }
    return original;
  }
}

/** The error for a run folder that could not be made or written (full disk, read-only home). */
export function stateDirError(path: string, error: unknown): InfrastructureError {
  const failure = whyNoFolder(path, error);
  return new InfrastructureError(
    localized('stateDirUnusable', { path: failure.path ?? path, code: failure.code }),
    { cause: error },
  );
}
