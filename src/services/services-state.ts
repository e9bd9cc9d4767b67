import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The state files of `scripts/services`: what `up` started, so that `down` stops exactly that, and
 * so that semlab can find the description of a local Kafka cluster (for --crash-broker).
 *
 * Whose services are whose:
 * - `up` prints `export SEMLAB_SERVICES_STATE=<file>` among its lines; a shell that evaluates them
 *   has its own state file, which its later `up` and `down` use: two shells never stop each
 *   other's servers.
 * - Without that variable, `up` starts a new state file and `down` reads every state file of this
 *   checkout: they live in the checkout's own ignored folder (.cache/services/<checkout id>/), never
 *   in a folder shared with other users or checkouts. The id is derived from the checkout's path, so
 *   checkouts that share a .cache (a symlink) stay apart too.
 */
export const SERVICES_STATE_ENV = 'SEMLAB_SERVICES_STATE';

export interface ServicesState {
  services: ServiceEntry[];
}

export interface ServiceEntry {
  name: string;
  pid: number;
  url: string;
  /** Kafka: the cluster's description file (see local-kafka.ts); its pids follow restarts. */
  cluster?: string;
  /**
   * Who the pid was when `up` recorded it: its start time (field 22 of /proc/<pid>/stat, clock
   * ticks since boot). A pid and its start time name one process for the life of the machine, so
   * a pid the kernel has since given to another process is never signalled.
   */
  startTime?: string;
}

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** This checkout's folder of state files. */
export function checkoutStateDir(root = PROJECT_ROOT): string {
  const id = createHash('sha256').update(realpathSync(root)).digest('hex').slice(0, 12);
  return join(root, '.cache', 'services', id);
}

/** The state file this shell named (`up` printed it), if any. */
export function shellStateFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env[SERVICES_STATE_ENV]?.trim();
  return file ? file : undefined;
}

/** A state file of its own for an `up` run outside a shell that has one. */
export function newStateFile(): string {
  return join(checkoutStateDir(), `${Date.now()}-${randomBytes(4).toString('hex')}.json`);
}

/** The state files `down` and semlab look at: this shell's, else every one of this checkout. */
export function stateFilesInScope(env: NodeJS.ProcessEnv = process.env): string[] {
  const own = shellStateFile(env);
  if (own) return [own];
  const dir = checkoutStateDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name));
}

export function readServicesState(file: string): ServicesState {
  if (!existsSync(file)) return { services: [] };
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as ServicesState;
    return Array.isArray(state.services) ? state : { services: [] };
  } catch {
    // A torn or foreign file names no server this checkout started.
    return { services: [] };
  }
}

/** Whole or not at all (a rename); an empty state removes the file. */
export function writeServicesState(state: ServicesState, file: string): void {
  if (state.services.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(state, null, 2) + '\n');
  renameSync(partial, file);
}

/** The description files of the Kafka clusters `scripts/services up kafka` started (in scope). */
export function servicesKafkaClusters(env: NodeJS.ProcessEnv = process.env): string[] {
  const files = stateFilesInScope(env).flatMap((file) =>
    readServicesState(file)
      .services.filter((s) => s.name === 'kafka' && s.cluster)
      .map((s) => s.cluster as string),
  );
  return [...new Set(files)];
}

/** The start time of a live process (not a zombie), or undefined when there is none with `pid`. */
export function processStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ppid ...": fields after the last ')' start at field 3, the state.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}

/** Is the recorded server still the process with that pid (same start time, same program)? */
export function isRecordedProcess(entry: ServiceEntry, program: string): boolean {
  const now = processStartTime(entry.pid);
  if (now === undefined || entry.startTime === undefined || now !== entry.startTime) return false;
  try {
    return readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8').includes(program);
  } catch {
    return false;
  }
}
