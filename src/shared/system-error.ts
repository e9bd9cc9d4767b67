/**
 * What the operating system or SQLite said went wrong, as a code a message can explain ("no space
 * left on the disk") instead of a stack trace. Pure: reads the fields Node's errno errors and
 * better-sqlite3's SqliteError carry.
 */
export interface SystemFailure {
  /** 'ENOSPC', 'EROFS', 'SQLITE_FULL' (extended SQLite codes cut to their base: SQLITE_IOERR). */
  readonly code: string;
  /** The file or folder the call was about, when the error names one. */
  readonly path?: string;
}

export function systemFailure(error: unknown): SystemFailure | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (typeof code !== 'string') return undefined;
  const base = /^E[A-Z]+$/.exec(code)?.[0] ?? /^SQLITE_[A-Z]+/.exec(code)?.[0];
  if (!base) return undefined;
  return typeof path === 'string' ? { code: base, path } : { code: base };
}

/**
 * Failures of the disk under the run folder rather than of a service: a full disk, a read-only
 * file system, a file where a folder should be, or SQLite's own words for these.
 */
const STORAGE_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EACCES',
  'EPERM',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
  'ENOENT',
  'EIO',
  'EMFILE',
  'ENFILE',
]);

export function isStorageFailure(failure: SystemFailure | undefined): failure is SystemFailure {
  return (
    failure !== undefined && (STORAGE_CODES.has(failure.code) || failure.code.startsWith('SQLITE_'))
  );
}
