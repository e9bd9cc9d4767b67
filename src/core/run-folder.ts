import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES } from './run-plan.js';

/**
 * Where runs live: one folder per run under the per-user state directory,
 * `$SEMLAB_HOME/runs` if set, else `$XDG_STATE_HOME/semlab/runs`, else `~/.local/state/semlab/runs`.
 * A run writes nothing outside its own folder. The newest `SEMLAB_KEEP_RUNS` (default 100) are kept.
 *
 * The contract that keeps runs undisturbed from outside (other semlab processes, readers, pruning):
 * - A run folder comes into being whole, with its in-progress marker (`RUN_FILES.inProgress`:
 *   the pid of the semlab process that runs it) already inside: it is built under a dot name and
 *   renamed into place. So no one ever sees a run folder that is neither in progress nor ended.
 * - The marker is removed when the run ends, after its report; a marker whose process is gone
 *   means the run was killed (interrupted). See `runState`.
 * - Pruning never removes a run in progress, nor the current one, and each of its steps is
 *   idempotent: a folder is first renamed aside (only one pruner wins that rename), then deleted.
 * - Readers (`semlab runs`, `semlab trace`) never write into a run folder.
 */
export function runsRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEMLAB_HOME) return join(env.SEMLAB_HOME, 'runs');
  const stateHome = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(stateHome, 'semlab', 'runs');
}

/**
 * Run ids sort by time: 20261129-071502-3fa9 (UTC). The four hex digits carry the millisecond
 * (times 64) plus a random 0..63, so the runs of one second (a `compare`, a lesson's five
 * semantics) still sort in the order they started, and two semlabs starting in the same
 * millisecond rarely collide (claimRunFolder tries again when they do).
 */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = now.getUTCMilliseconds() * 64 + ((randomBytes(1)[0] as number) % 64);
  return `${stamp}-${suffix.toString(16).padStart(4, '0')}`;
}

/** The names run folders have; anything else under the runs root is not a run. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

const STAGING_PREFIX = '.new-';
const TRASH_PREFIX = '.trash-';

/** What the in-progress marker holds. */
interface InProgressMarker {
  readonly pid: number;
  /** The process's start time as /proc tells it (Linux), so a reused pid is not taken for it. */
  readonly procStart?: string;
  readonly startedAt: string;
}

/**
 * Creates the folder of a new run, marked in progress by this process, and prunes old runs.
 * The run id is chosen here: on the rare clash with a folder of the same id, another is drawn.
 */
export function claimRunFolder(env: NodeJS.ProcessEnv = process.env): {
  runId: string;
  runDir: string;
} {
  const root = runsRoot(env);
  mkdirSync(root, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const runId = newRunId();
    const runDir = join(root, runId);
    const staging = join(root, `${STAGING_PREFIX}${runId}-${process.pid}`);
    mkdirSync(join(staging, RUN_FILES.journalDir), { recursive: true });
    const procStart = processStart(process.pid);
    const marker: InProgressMarker = {
      pid: process.pid,
      ...(procStart ? { procStart } : {}),
      startedAt: new Date().toISOString(),
    };
    writeFileSync(join(staging, RUN_FILES.inProgress), JSON.stringify(marker) + '\n');
    try {
      // Atomic, and refused when a folder of that name exists (it is never empty).
      renameSync(staging, runDir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (attempt < 5 && isCode(error, 'EEXIST', 'ENOTEMPTY')) continue;
      throw error;
    }
    pruneRuns(root, keepCount(env), runId);
    return { runId, runDir };
  }
}

/** The run has ended (completed, failed or interrupted with a report): it is no longer in progress. */
export function endRunFolder(runDir: string): void {
  try {
    unlinkSync(join(runDir, RUN_FILES.inProgress));
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

/**
 * Runs kept by default: a class compares five semantics per lesson, so twenty runs were gone
 * before the class ended; a hundred small folders hold a whole class.
 */
export const DEFAULT_KEEP_RUNS = 100;

export function keepCount(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = Number(env.SEMLAB_KEEP_RUNS);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_KEEP_RUNS;
}

/**
 * `in-progress`: its semlab process is alive. `interrupted`: the marker is there but its process
 * is gone (killed before it could end the run). `ended`: no marker.
 */
export type RunState = 'in-progress' | 'interrupted' | 'ended';

export function runState(runDir: string): RunState {
  let text: string;
  try {
    text = readFileSync(join(runDir, RUN_FILES.inProgress), 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return 'ended';
    throw error;
  }
  const marker = parseMarker(text);
  // A marker that does not parse was not written by claimRunFolder (it writes it before the
  // folder has its name): whoever wrote it is not a live run.
  if (!marker) return 'interrupted';
  return processAlive(marker) ? 'in-progress' : 'interrupted';
}

function parseMarker(text: string): InProgressMarker | undefined {
  try {
    const value = JSON.parse(text) as Partial<InProgressMarker>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0
      ? (value as InProgressMarker)
      : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isCode(error, 'EPERM');
  }
}

function processAlive(marker: InProgressMarker): boolean {
  if (!pidAlive(marker.pid)) return false;
  if (marker.procStart === undefined) return true;
  const now = processStart(marker.pid);
  // Where /proc cannot tell (another OS), the pid alone decides.
  return now === undefined || now === marker.procStart;
}

/** Field 22 of /proc/<pid>/stat (start time since boot, in clock ticks), where there is /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Removes the oldest run folders so that at most `keep` remain, counting the current one, which
 * always stays; a run in progress also always stays (then more than `keep` remain for a while).
 * Safe when several semlab processes prune at once: every step tolerates what another already did.
 */
export function pruneRuns(root: string, keep: number, current: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const runs = names.filter((name) => name !== current && RUN_ID_PATTERN.test(name)).sort();
  const excess = runs.length + 1 - keep;
  for (const name of runs.slice(0, Math.max(0, excess))) {
    if (runState(join(root, name)) === 'in-progress') continue;
    removeAside(root, name);
  }
  // Leftovers of a pruner or a starting run that were killed half-way.
  for (const name of names) {
    if (name.startsWith(TRASH_PREFIX)) removeQuietly(join(root, name));
    // A staging folder names its process: it may not hold its marker yet.
    const stager = Number(name.slice(name.lastIndexOf('-') + 1));
    if (name.startsWith(STAGING_PREFIX) && !(Number.isInteger(stager) && pidAlive(stager))) {
      removeQuietly(join(root, name));
    }
  }
}

/** Renames the folder aside, then deletes it: the folder vanishes at once for readers. */
function removeAside(root: string, name: string): void {
  const trash = join(
    root,
    `${TRASH_PREFIX}${name}-${process.pid}-${randomBytes(3).toString('hex')}`,
  );
  try {
    renameSync(join(root, name), trash);
  } catch (error) {
    // Another pruner took it first.
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  removeQuietly(trash);
}

/** A leftover another process may be deleting at the same moment: what remains is retried later. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    if (!isCode(error, 'ENOENT', 'ENOTEMPTY', 'EBUSY')) throw error;
  }
}

export function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && codes.includes(code);
}
