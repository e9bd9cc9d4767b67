import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { RUN_DEFAULTS } from '../core/defaults.js';
import { RUN_FILES } from '../core/run-plan.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { localized } from '../i18n/catalog.js';
import { SemlabError, UsageError } from '../shared/errors.js';
import { SEMANTICS_NAMES, type SemanticsName } from '../core/semantics.js';
import type { RunReport } from '../report/run-report.js';
import { checkExpectations, missDetail, type ExpectationResult } from '../scenario/expect.js';
import type { Scenario, ScenarioVariant } from '../scenario/schema.js';
import { closestMatch } from '../util/suggest.js';
import { executeRun } from './execute-run.js';
import {
  applicableFlags,
  applyRunFlags,
  checkNames,
  refuseInapplicableFlags,
  type RunFlags,
  type RunSettings,
} from './run-options.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';

/** A report from a scenario carries the scenario's name and how its `expect` block fared. */
export type ScenarioRunReport = RunReport & {
  scenario?: string;
  expectations?: ExpectationResult[];
};

export function randomSeed(): number {
  return randomInt(1, 100_000);
}

/** `--semantics a,b` or `all`, checked against the presets. */
export function parseSemanticsList(text: string): SemanticsName[] {
  if (text.trim() === 'all') return [...SEMANTICS_NAMES];
  const names = distinctList('--semantics', text, SEMANTICS_NAMES.length);
  return names.map((name) => {
    if (!(SEMANTICS_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(
        localized('semanticsListItem', {
          name,
          suggestion: closestMatch(name, SEMANTICS_NAMES),
          valid: SEMANTICS_NAMES,
        }),
      );
    }
    return name as SemanticsName;
  });
}

/**
 * A comma-separated list of names, each at most once and no more than there are names: every
 * entry is a run, so a long or repeating list would only repeat runs.
 */
function distinctList(flag: string, text: string, most: number): string[] {
  const names = text.split(',').map((raw) => raw.trim());
  if (names.length > most) {
    throw new UsageError(localized('flagListTooLong', { flag, count: names.length, max: most }));
  }
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new UsageError(localized('flagListRepeated', { flag, name: repeated }));
  }
  return names;
}

/**
 * The runs a scenario asks for (each semantics × each transport), with command-line flags on top.
 * One seed for all of them: the same faults hit every semantics.
 */
export function planScenarioRuns(
  scenario: Scenario,
  flags: RunFlags,
  semantics: readonly SemanticsName[] = [scenario.semantics].flat(),
  transports: readonly string[] = flags.transport
    ? distinctList('--transport', flags.transport, TRANSPORT_NAMES.length)
    : [scenario.transport].flat(),
): RunSettings[] {
  const seed = scenario.seed;
  const store = flags.store ?? scenario.store;
  checkNames(transports, store);
  // Once for the whole set (compare over zmq and redis may take --redis-url), then each run gets
  // the flags that apply to it.
  refuseInapplicableFlags(flags, transports, store);
  const runs: RunSettings[] = [];
  for (const transport of transports) {
    for (const name of semantics) {
      const base = {
        semantics: name,
        transport,
        workers: scenario.workers,
        messages: scenario.messages,
        seed,
        timeoutMs: scenario.timeoutMs,
        window: scenario.window,
        store: scenario.store,
        ...(scenario.dedupeTtlMs !== undefined ? { dedupeTtlMs: scenario.dedupeTtlMs } : {}),
        restartDelayMs: scenario.restartDelayMs,
        faults: scenario.faults,
        ...(scenario.redisMode ? { redisMode: scenario.redisMode } : {}),
        ...(scenario.clock ? { clock: scenario.clock } : {}),
        ...(scenario.reclaimIdleMs !== undefined ? { reclaimIdleMs: scenario.reclaimIdleMs } : {}),
        kafka: {
          ...(scenario.kafkaMode ? { mode: scenario.kafkaMode } : {}),
          ...(scenario.kafkaAcks ? { acks: scenario.kafkaAcks } : {}),
          ...(scenario.partitions !== undefined ? { partitions: scenario.partitions } : {}),
          ...(scenario.kafkaSessionTimeoutMs !== undefined
            ? { sessionTimeoutMs: scenario.kafkaSessionTimeoutMs }
            : {}),
          ...(scenario.crashBroker ? { crashBroker: scenario.crashBroker } : {}),
        },
        ...(scenario.workerCmd !== undefined ? { workerCmd: scenario.workerCmd } : {}),
      };
      const own = applicableFlags(flags, transport, store);
      runs.push(applyRunFlags(base, { ...own, transport }, randomSeed));
    }
  }
  return runs;
}

/** The settings a lesson's exact numbers depend on. */
const NUMBER_SETTINGS = [
  'seed',
  'workers',
  'messages',
  'timeoutMs',
  'window',
  'store',
  'dedupeTtlMs',
  'restartDelayMs',
  'faults',
  'clock',
  // Another worker program makes other numbers.
  'workerCmd',
] as const;

/**
 * Does this run use the lesson's own settings, as far as its numbers go? A lesson's exact counts
 * hold for its seed, faults and sizes on the virtual clock, on any routed transport; a knob turned
 * from the command line (`--seed 9`) makes another run, whose numbers the lesson cannot know.
 */
function runsAsTheLessonDoes(scenario: Scenario, settings: RunSettings): boolean {
  const lessonTransport = [scenario.transport].flat()[0] ?? settings.transport;
  const [own] = planScenarioRuns(scenario, {}, [settings.semantics], [lessonTransport]);
  if (!own) return false;
  return NUMBER_SETTINGS.every((key) => sameSetting(own[key], settings[key]));
}

/** Equal values; a list of faults in any order (flags build it in their own order). */
function sameSetting(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sorted = (list: unknown[]) => list.map((item) => JSON.stringify(item)).sort();
    return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The lesson with a variant's settings and expectations in place of its own. */
export function withVariant(scenario: Scenario, variant: ScenarioVariant): Scenario {
  return {
    ...scenario,
    ...(variant.store !== undefined ? { store: variant.store } : {}),
    ...(variant.dedupeTtlMs !== undefined ? { dedupeTtlMs: variant.dedupeTtlMs } : {}),
    ...(variant.faults !== undefined ? { faults: variant.faults } : {}),
    ...(variant.expect !== undefined ? { expect: variant.expect } : {}),
    variants: [],
  };
}

/** Runs the settings one after another, labelling progress "[2/5] exactly-once". */
export async function executeAll(
  runs: readonly RunSettings[],
  scenario: Scenario | undefined,
): Promise<ScenarioRunReport[]> {
  const reports: ScenarioRunReport[] = [];
  for (const [index, settings] of runs.entries()) {
    const label =
      runs.length > 1 ? `[${index + 1}/${runs.length}] ${settings.semantics}` : settings.semantics;
    const report = await executeRun(settings, label);
    if (!scenario) {
      reports.push(report);
      continue;
    }
    // The lesson as run: a variant whose settings these are (its own expectations), else itself.
    const lesson =
      (scenario.variants ?? [])
        .map((variant) => withVariant(scenario, variant))
        .find((candidate) => runsAsTheLessonDoes(candidate, settings)) ?? scenario;
    const expectations = checkExpectations(
      report,
      lesson.expect?.[settings.semantics],
      runsAsTheLessonDoes(lesson, settings),
    );
    const annotated = { ...report, scenario: scenario.name, expectations };
    // The lesson goes into the kept report too: `semlab runs` says which lesson a run was.
    writeFileAtomic(
      join(report.runDir, RUN_FILES.report),
      JSON.stringify(annotated, null, 2) + '\n',
    );
    reports.push(annotated);
  }
  return reports;
}

/** The expectations that missed, as data the error message is built from. */
function missedExpectations(reports: readonly ScenarioRunReport[]) {
  return reports.flatMap((report) =>
    (report.expectations ?? [])
      .filter((result) => !result.met)
      .map((result) => ({
        semantics: report.semantics,
        transport: report.transport,
        field: result.field,
        expected: result.expected,
        actual: String(result.actual),
        miss: missDetail(result),
      })),
  );
}

/**
 * A history that breaks a consistency check ends the command with exit code 3, after its table
 * was printed: it is a bug in semlab (or a damaged run folder), never a result about the semantics.
 * Checked before anything else, since no other outcome of such a run can be trusted.
 */
export function failIfInconsistent(reports: readonly ScenarioRunReport[]): void {
  const broken = reports.find((report) => !report.consistency.ok);
  if (!broken) return;
  const { violations, violationCount } = broken.consistency;
  const first = violations[0];
  throw new SemlabError(
    'infrastructure',
    localized('historyInconsistent', {
      check: first?.check ?? 'unknown',
      epoch: first?.epoch ?? null,
      ...(first?.worker !== undefined ? { worker: first.worker } : {}),
      ...(first?.incarnation !== undefined ? { incarnation: first.incarnation } : {}),
      count: violationCount,
      runDir: broken.runDir,
    }),
  );
}

/** A stalled run ends the command with exit code 3, after its table was printed. */
export function failIfStalled(reports: readonly ScenarioRunReport[]): void {
  const stalled = reports.find((report) => report.status === 'stalled');
  if (stalled) {
    throw new SemlabError(
      'infrastructure',
      localized('runStalled', { diagnosis: stalled.diagnosis, runDir: stalled.runDir }),
    );
  }
}

/**
 * A missed expectation ends the command with exit code 1, after the tables were printed:
 * "expectations not met: at-least-once over zmq: duplicateExecutions expected >0, got 0 (1 short of >0)".
 */
export function failIfMissed(reports: readonly ScenarioRunReport[]): void {
  const misses = missedExpectations(reports);
  if (misses.length > 0) {
    throw new SemlabError('expectation', localized('expectationsNotMet', { misses }));
  }
}

/**
 * A run without a scenario file (`semlab compare` with flags only, a run built in the lab): the
 * defaults and no faults, shaped as a scenario so the same planning applies; flags add the rest.
 */
export function adHocScenario(name: string, semantics: Scenario['semantics']): Scenario {
  return {
    name,
    title: '',
    description: '',
    semantics,
    transport: RUN_DEFAULTS.transport,
    workers: RUN_DEFAULTS.workers,
    messages: RUN_DEFAULTS.messages,
    seed: randomSeed(),
    timeoutMs: RUN_DEFAULTS.timeoutMs,
    window: RUN_DEFAULTS.window,
    store: RUN_DEFAULTS.store,
    restartDelayMs: RUN_DEFAULTS.restartDelayMs,
    faults: [],
  };
}
