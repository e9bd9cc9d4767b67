import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPlan } from '../core/plan-file.js';
import { runsRoot } from '../core/run-folder.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import { UsageError } from '../shared/errors.js';
import { journalEvents, runEffects } from './history.js';
import type { RunReport } from './run-report.js';
import { Tracer, type EpochStory } from './trace.js';

/** One kept run, as `semlab runs` lists it: its plan, and its report unless it never finished. */
export interface KeptRun {
  readonly runId: string;
  readonly runDir: string;
  readonly plan: RunPlan;
  readonly report?: RunReport;
}

/** The kept runs, newest first (run ids sort by time). */
export function keptRuns(root = runsRoot()): KeptRun[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, RUN_FILES.plan)))
    .sort()
    .reverse()
    .map((runId) => keptRun(join(root, runId)));
}

function keptRun(runDir: string): KeptRun {
  const plan = readPlan(runDir);
  const reportFile = join(runDir, RUN_FILES.report);
  const report = existsSync(reportFile)
    ? (JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport)
    : undefined;
  return { runId: plan.runId, runDir, plan, ...(report ? { report } : {}) };
}

/**
 * A run named on the command line: a run folder's path, a run id, a unique prefix of one, or
 * nothing (the newest run).
 */
export function findRun(target: string | undefined, root = runsRoot()): KeptRun {
  if (target && existsSync(join(target, RUN_FILES.plan)) && statSync(target).isDirectory()) {
    return keptRun(target);
  }
  const runs = keptRuns(root);
  if (runs.length === 0) {
    throw new UsageError(`no runs in ${root} yet; start one with \`semlab run at-least-once\``);
  }
  if (target === undefined) return runs[0] as KeptRun;
  const matches = runs.filter((run) => run.runId.startsWith(target));
  if (matches.length === 1) return matches[0] as KeptRun;
  const newest = runs
    .slice(0, 3)
    .map((run) => run.runId)
    .join(', ');
  throw new UsageError(
    matches.length === 0
      ? `no run '${target}' in ${root}; the newest are ${newest} (semlab runs lists them all)`
      : `'${target}' names ${matches.length} runs; give more of the run id (semlab runs lists them)`,
  );
}

/** The stories of a kept run's epochs (or of one), read from its journals and effects. */
export async function traceRun(run: KeptRun, only?: number): Promise<EpochStory[]> {
  if (only !== undefined && (only < 1 || only > run.plan.messages)) {
    throw new UsageError(
      `--epoch: run ${run.runId} has epochs 1 to ${run.plan.messages}; ${only} is not one of them`,
    );
  }
  const tracer = new Tracer(run.plan, only);
  for await (const event of journalEvents(run.runDir)) tracer.addEvent(event);
  for await (const effect of runEffects(run.plan)) tracer.addEffect(effect);
  return [...tracer.stories()];
}
