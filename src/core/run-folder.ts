import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES } from './run-plan.js';

/**
 * Where runs live: one folder per run under the per-user state directory,
 * `$SEMLAB_HOME/runs` if set, else `$XDG_STATE_HOME/semlab/runs`, else `~/.local/state/semlab/runs`.
 * A run writes nothing outside its own folder. The newest `SEMLAB_KEEP_RUNS` (default 20) are kept.
 */
export function runsRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEMLAB_HOME) return join(env.SEMLAB_HOME, 'runs');
  const stateHome = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(stateHome, 'semlab', 'runs');
}

/** Run ids sort by time: 20261129-071502-3fa9 (UTC). */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function createRunFolder(runId: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = runsRoot(env);
  const dir = join(root, runId);
  mkdirSync(join(dir, RUN_FILES.journalDir), { recursive: true });
  pruneRuns(root, keepCount(env), runId);
  return dir;
}

function keepCount(env: NodeJS.ProcessEnv): number {
  const parsed = Number(env.SEMLAB_KEEP_RUNS);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 20;
}

/** Removes the oldest run folders so that at most `keep` remain (the current one always stays). */
export function pruneRuns(root: string, keep: number, current: string): void {
  const runs = readdirSync(root)
    .filter((name) => name !== current && statSync(join(root, name)).isDirectory())
    .sort();
  const excess = runs.length + 1 - keep;
  for (const name of runs.slice(0, Math.max(0, excess))) {
    rmSync(join(root, name), { recursive: true, force: true });
  }
}
