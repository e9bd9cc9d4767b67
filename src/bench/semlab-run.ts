import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { DispatchOutcome } from '../core/ipc.js';
import { DISCARDED_OUTCOME_FILE } from '../core/journal.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closed, spawnTracked, stop } from './children.js';

const SEMLAB_BIN = fileURLToPath(new URL('../../bin/semlab', import.meta.url));
const DISCARD_PRELOAD = fileURLToPath(
  new URL('../../dist/bench/discard-journal.js', import.meta.url),
);

export interface SemlabLoad {
  readonly semantics: string;
  readonly workers: number;
  readonly messages: number;
  readonly window: number;
  /** Absent: semlab's default transport (zmq). */
  readonly transport?: 'zmq' | 'redis' | 'kafka';
  /** For --transport redis: always given, so semlab never falls back to $REDIS_URL. */
  readonly redisUrl?: string;
  /** For --transport kafka: always given, so semlab never falls back to $KAFKA_BROKERS. */
  readonly kafkaBrokers?: string;
  /** semlab's --clock; absent: semlab's default for the transport. */
  readonly clock?: 'virtual' | 'real';
  /**
   * Journals discarded (./discard-journal.ts): what the run costs without durability. semlab then
   * refuses to report the run; its throughput comes from the dispatcher's outcome it kept.
   */
  readonly discardJournals?: boolean;
}

/** The fields of semlab's `--json` report (a public contract, design.md §2) that the bench reads. */
export interface SemlabResult {
  readonly runId: string;
  readonly throughput: number;
  /** Sends after the first: work done twice, which a raw loop never does. */
  readonly retries: number;
  readonly durationMs: number;
  readonly dispatcherMaxRssKb: number;
  /** Whole CLI, start to exit: process start-up and the checker included. */
  readonly wallMs: number;
}

/**
 * One `semlab run ... --json`, exactly as a user would type it, in a run home of its own that is
 * deleted afterwards: a 1,000,000-message run leaves a few hundred MB of journals behind.
 */
export async function runSemlab(load: SemlabLoad): Promise<SemlabResult> {
  const home = mkdtempSync(join(tmpdir(), 'semlab-bench-'));
  const args = [
    SEMLAB_BIN,
    'run',
    load.semantics,
    ...['--workers', String(load.workers)],
    ...['--messages', String(load.messages)],
    ...['--window', String(load.window)],
    ...(load.transport ? ['--transport', load.transport] : []),
    ...(load.redisUrl ? ['--redis-url', load.redisUrl] : []),
    ...(load.kafkaBrokers ? ['--kafka-brokers', load.kafkaBrokers] : []),
    ...(load.clock ? ['--clock', load.clock] : []),
    '--json',
  ];
  const startedAt = performance.now();
  const nodeOptions = load.discardJournals
    ? [process.env.NODE_OPTIONS, `--import=${DISCARD_PRELOAD}`].filter(Boolean).join(' ')
    : process.env.NODE_OPTIONS;
  const child = spawnTracked(process.execPath, args, {
    env: {
      ...process.env,
      SEMLAB_HOME: home,
      ...(nodeOptions !== undefined ? { NODE_OPTIONS: nodeOptions } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderrTail = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  const exit = closed(child);
  const timeoutMs = runTimeoutMs(load.messages);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop(child);
  }, timeoutMs);
  try {
    const status = await exit;
    const wallMs = Math.round(performance.now() - startedAt);
    if (timedOut) throw new Error(`semlab run did not finish within ${timeoutMs} ms; stopped it`);
    if (load.discardJournals)
      return { ...readDiscardedRun(home, status, stderrTail, load), wallMs };
    if (status !== 'exit code 0') {
      throw new Error(
        `semlab run failed (${status}): ${stderrTail.trim() || 'no output on stderr'}`,
      );
    }
    return { ...parseReport(stdout, load.messages), wallMs };
  } finally {
    clearTimeout(timer);
    await stop(child);
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * A run with its journals discarded: semlab must have refused it (exit 3, no report on stdout) and
 * kept the dispatcher's outcome, from which its throughput is taken (it settled every message, or
 * the outcome would not say 'completed').
 */
function readDiscardedRun(
  home: string,
  status: string,
  stderrTail: string,
  load: SemlabLoad,
): Omit<SemlabResult, 'wallMs'> {
  // The refusal is exit 3 and the kept outcome (the message itself is in the user's language).
  if (status !== 'exit code 3') {
    throw new Error(
      `semlab did not refuse the run with discarded journals (${status}): ${stderrTail.trim()}`,
    );
  }
  const runsDir = join(home, 'runs');
  const [runId, ...others] = readdirSync(runsDir);
  if (!runId || others.length > 0) throw new Error(`expected one run folder in ${runsDir}`);
  const kept = join(runsDir, runId, DISCARDED_OUTCOME_FILE);
  if (!existsSync(kept)) throw new Error(`semlab refused run ${runId} but kept no outcome`);
  const outcome = JSON.parse(readFileSync(kept, 'utf8')) as DispatchOutcome;
  if (outcome.status !== 'completed') {
    throw new Error(`semlab run ${runId} with discarded journals ended ${outcome.status}`);
  }
  return {
    runId,
    throughput: Math.round(load.messages / (outcome.durationMs / 1000)),
    // Unknown without journals; the run is not counted, only timed.
    retries: 0,
    durationMs: Math.round(outcome.durationMs),
    dispatcherMaxRssKb: outcome.maxRssKb,
  };
}

/**
 * Reads the JSON report and refuses a run that did not do its job: the throughput of a run that
 * lost messages or stalled measures something else.
 */
function parseReport(stdout: string, messages: number): Omit<SemlabResult, 'wallMs'> {
  const line = stdout.trim().split('\n').pop() ?? '';
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`semlab printed no JSON report: '${line.slice(0, 200)}'`);
  }
  const number = (field: string): number => {
    const value = report[field];
    if (typeof value !== 'number') throw new Error(`semlab's report has no number '${field}'`);
    return value;
  };
  if (report.status !== 'completed' || number('lost') !== 0 || number('acked') !== messages) {
    throw new Error(
      `semlab run ${String(report.runId)} did not complete cleanly: status ${String(report.status)}, ` +
        `lost ${String(report.lost)}, acked ${String(report.acked)} of ${messages}`,
    );
  }
  return {
    runId: String(report.runId),
    throughput: number('throughput'),
    retries: number('retries'),
    durationMs: number('durationMs'),
    dispatcherMaxRssKb: number('dispatcherMaxRssKb'),
  };
}

/** Start-up, dispatch (≈10,000 msg/s here) and the checker's read of every journal, with room. */
function runTimeoutMs(messages: number): number {
  return 60_000 + messages;
}
