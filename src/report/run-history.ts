import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { isCode, RUN_ID_PATTERN, runsRoot, runState, type RunState } from '../core/run-folder.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import { localized, type LocalizedText } from '../i18n/catalog.js';
import type { DamageKind } from '../i18n/en.js';
import { InfrastructureError, UsageError } from '../shared/errors.js';
import {
  eventInstant,
  MalformedLineError,
  readerEffects,
  runTimeline,
  timedEvents,
  type EffectsSource,
  type RunTimeline,
} from './history.js';
import type { RunReport } from './run-report.js';
import { Tracer, type EpochStory, type WorkerStart } from './trace.js';

/**
 * Reading kept runs back, for `semlab runs` and `semlab trace`. Nothing here writes: a run in
 * progress is read as it stands (journals up to their last whole line, the store read-only), and
 * one damaged run folder is reported as such, never fatal for the others.
 */

/** One kept run, as `semlab runs` lists it. */
export interface KeptRun {
  readonly kind: 'kept';
  readonly runId: string;
  readonly runDir: string;
  readonly state: RunState;
  /** Absent only while the run is starting (in progress, its plan not written yet). */
  readonly plan?: RunPlan;
  /** Absent while in progress, and for a run that never finished. */
  readonly report?: RunReport;
}

export type { DamageKind };

export interface DamagedRun {
  readonly kind: 'damaged';
  readonly runId: string;
  readonly runDir: string;
  readonly file: string;
  readonly damage: DamageKind;
}

export type RunEntry = KeptRun | DamagedRun;

/** The kept runs, newest first (run ids sort by time); damaged ones are entries of their own. */
export function keptRuns(root = runsRoot()): RunEntry[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw error;
  }
  return names
    .filter((name) => RUN_ID_PATTERN.test(name))
    .sort()
    .reverse()
    .map((name) => inspectRun(join(root, name)))
    .filter((entry): entry is RunEntry => entry !== undefined);
}

/** One run folder as it is now; undefined when it vanished meanwhile (pruned by another run). */
export function inspectRun(runDir: string): RunEntry | undefined {
  const runId = basename(runDir);
  const damaged = (file: string, damage: DamageKind): DamagedRun | undefined =>
    existsSync(runDir) ? { kind: 'damaged', runId, runDir, file, damage } : undefined;
  try {
    if (!statSync(runDir).isDirectory()) return damaged(runId, 'not-a-folder');
    const state = runState(runDir);
    const going = state === 'in-progress';
    const plan = readJson(join(runDir, RUN_FILES.plan), isPlan);
    // A run in progress may not have written its plan yet (it does so whole, when it starts its
    // processes); any other run has one.
    if (plan.problem)
      return going ? { kind: 'kept', runId, runDir, state } : damaged(RUN_FILES.plan, plan.problem);
    const journal = folderProblem(join(runDir, RUN_FILES.journalDir));
    if (journal) return damaged(RUN_FILES.journalDir, journal);
    const report = readJson(join(runDir, RUN_FILES.report), isReport);
    if (report.problem && !(report.problem === 'missing' || going)) {
      return damaged(RUN_FILES.report, report.problem);
    }
    // The folder is where the run is now, whatever path its plan recorded (a copied folder).
    const found = { ...(plan.value as RunPlan), runDir };
    return {
      kind: 'kept',
      runId,
      runDir,
      state,
      plan: found,
      ...(report.value && !going ? { report: report.value } : {}),
    };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return damaged(runId, 'missing');
    return damaged(runId, 'unreadable');
  }
}

function folderProblem(path: string): DamageKind | undefined {
  try {
    return statSync(path).isDirectory() ? undefined : 'not-a-folder';
  } catch (error) {
    return isCode(error, 'ENOENT') ? 'missing' : 'unreadable';
  }
}

function readJson<T>(
  path: string,
  isValid: (value: unknown) => value is T,
): { value?: T; problem?: DamageKind } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: isCode(error, 'ENOENT') ? 'missing' : 'unreadable' };
  }
  try {
    const value: unknown = JSON.parse(text);
    return isValid(value) ? { value } : { problem: 'torn' };
  } catch {
    return { problem: 'torn' };
  }
}

/** The fields the readers use; anything else semlab wrote is taken on trust. */
function isPlan(value: unknown): value is RunPlan {
  const plan = value as Partial<Record<keyof RunPlan, unknown>> | null;
  return (
    typeof plan === 'object' &&
    plan !== null &&
    typeof plan.semantics === 'string' &&
    typeof plan.transport === 'string' &&
    typeof plan.store === 'string' &&
    Number.isSafeInteger(plan.messages) &&
    Number.isSafeInteger(plan.workers) &&
    typeof plan.seed === 'number'
  );
}

function isReport(value: unknown): value is RunReport {
  const report = value as Partial<Record<keyof RunReport, unknown>> | null;
  return (
    typeof report === 'object' &&
    report !== null &&
    typeof report.lost === 'number' &&
    typeof report.duplicateExecutions === 'number' &&
    typeof (report.verdict as { held?: unknown } | undefined)?.held === 'boolean' &&
    (report.status === 'completed' || report.status === 'stalled')
  );
}

/**
 * A run named on the command line: a run folder's path, a run id, a unique prefix of one, or
 * nothing (the newest run). A damaged run is returned as such: the caller says what is wrong.
 */
export function findRun(target: string | undefined, root = runsRoot()): RunEntry {
  if (target && isRunFolder(target)) {
    const entry = inspectRun(resolve(target));
    if (entry) return entry;
  }
  const runs = keptRuns(root);
  if (runs.length === 0) {
    throw new UsageError(localized('noRunsIn', { root }));
  }
  if (target === undefined) return runs[0] as RunEntry;
  const matches = runs.filter((run) => run.runId.startsWith(target));
  if (matches.length === 1) return matches[0] as RunEntry;
  const newest = runs
    .slice(0, 3)
    .map((run) => run.runId)
    .join(', ');
  throw new UsageError(
    matches.length === 0
      ? localized('noSuchRun', { target, root, newest })
      : localized('ambiguousRun', { target, count: matches.length }),
  );
}

function isRunFolder(path: string): boolean {
  try {
    return (
      statSync(path).isDirectory() &&
      (existsSync(join(path, RUN_FILES.plan)) || existsSync(join(path, RUN_FILES.inProgress)))
    );
  } catch {
    return false;
  }
}

/** A run that can be traced: readable, and past its start. Otherwise one error that says why. */
export function traceableRun(entry: RunEntry): KeptRun & { plan: RunPlan } {
  if (entry.kind === 'damaged') {
    throw new InfrastructureError(
      localized('runDamaged', { runId: entry.runId, file: entry.file, damage: entry.damage }),
    );
  }
  if (!entry.plan) throw new UsageError(localized('runStarting', { runId: entry.runId }));
  return entry as KeptRun & { plan: RunPlan };
}

/** A file of the run that could not be read, as one line for the user; other errors as they are. */
function damagedFileError(run: KeptRun, error: unknown): unknown {
  const path =
    error instanceof MalformedLineError ? error.path : (error as { path?: unknown }).path;
  if (
    typeof path !== 'string' ||
    !(error instanceof MalformedLineError || isCode(error, 'ENOENT', 'EISDIR', 'EACCES', 'ENOTDIR'))
  ) {
    return error;
  }
  const damage: DamageKind =
    error instanceof MalformedLineError
      ? 'torn'
      : isCode(error, 'ENOENT')
        ? 'missing'
        : 'unreadable';
  return new InfrastructureError(
    localized('runDamaged', { runId: run.runId, file: relative(run.runDir, path), damage }),
    { cause: error },
  );
}

/** A trace: the stories, and how complete they are. */
export interface RunTrace {
  readonly stories: EpochStory[];
  /** The run had not ended (in progress, or killed): the counts are what was recorded so far. */
  readonly partial: boolean;
  /** Where the store's own effects came from; undefined when they could not be read. */
  readonly effects: EffectsSource | undefined;
  /** What the reader should know about what is missing, in their language. */
  readonly notes: LocalizedText[];
  /** Every worker incarnation's start, with its instant: the diagrams draw restarts from them. */
  readonly workerStarts: readonly WorkerStart[];
}

/** The stories of a kept run's epochs (or of one), read from its journals and effects. */
export async function traceRun(run: KeptRun & { plan: RunPlan }, only?: number): Promise<RunTrace> {
  if (only !== undefined && (only < 1 || only > run.plan.messages)) {
    throw new UsageError(
      localized('epochNotInRun', { runId: run.runId, messages: run.plan.messages, epoch: only }),
    );
  }
  const partial = run.state !== 'ended';
  const notes: LocalizedText[] = [];
  const tracer = new Tracer(run.plan, only);
  let timeline: RunTimeline | undefined;
  try {
    timeline = await runTimeline(run.runDir, run.plan.clock);
    for await (const { event, at, journal } of timedEvents(run.runDir, run.plan.clock)) {
      tracer.addEvent(event, { at, journal });
    }
  } catch (error) {
    throw damagedFileError(run, error);
  }
  const reading = await readerEffects(run.plan);
  let effects: EffectsSource | undefined = reading.source;
  try {
    for await (const effect of reading.effects) {
      // On the virtual clock a store's effect carries no virtual instant: the tracer takes its
      // receipt's (see Tracer.addEffect).
      tracer.addEffect(
        effect,
        timeline?.clock === 'real' ? eventInstant(effect, timeline) : undefined,
      );
    }
  } catch (error) {
    // A torn copy is damage. A store that cannot be read (a run in progress that has not made
    // it yet, a run that failed before) leaves the journals to tell what they can.
    if (reading.source === 'copy') throw damagedFileError(run, error);
    effects = undefined;
    notes.push(localized('traceEffectsUnavailable', { store: run.plan.store }));
  }
  if (reading.transportEffectsUnread) {
    notes.push(localized('traceTransportEffectsLater', { transport: run.plan.transport }));
  }
  let stories = [...tracer.stories()];
  // An epoch the run never got to is not lost: the run is not over, or was killed before it.
  if (partial) stories = stories.filter((story) => story.steps.length > 0);
  return { stories, partial, effects, notes, workerStarts: tracer.workerStarts };
}
