import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import type { RunReport } from '../../src/report/run-report.js';

/** The installed entry point, exactly as a user runs it (it loads the compiled dist/). */
export const SEMLAB_BIN = resolve(import.meta.dirname, '../../bin/semlab');

export interface SemlabResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A private state folder per test file, so runs never touch the user's own run history. */
export function makeSemlabHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'semlab-test-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function startSemlab(
  args: string[],
  home: string,
  extraEnv: NodeJS.ProcessEnv = {},
): ChildProcess {
  return spawn(process.execPath, [SEMLAB_BIN, ...args], {
    // REDIS_URL, KAFKA_BROKERS: the suite's own servers (test/support/global-setup.ts), never the
    // user's.
    env: {
      ...withoutLocale(process.env),
      // English unless a test asks otherwise: the machine's own locale must not pick the language.
      LANG: 'C',
      SEMLAB_HOME: home,
      NO_COLOR: '1',
      REDIS_URL: inject('redisUrl'),
      KAFKA_BROKERS: inject('kafkaBrokers'),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The environment without the locale variables that outrank LANG (LC_ALL, LC_MESSAGES). */
function withoutLocale(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LC_ALL: _all, LC_MESSAGES: _messages, ...rest } = env;
  return rest;
}

export function finished(child: ChildProcess): Promise<SemlabResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export function runSemlab(
  args: string[],
  home: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<SemlabResult> {
  return finished(startSemlab(args, home, extraEnv));
}

/** Runs with --json and returns the report; fails loudly with stderr if the run did not complete. */
export async function runJson(args: string[], home: string): Promise<RunReport> {
  const result = await runSemlab([...args, '--json'], home);
  if (result.code !== 0) {
    throw new Error(`semlab ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as RunReport;
}

/** The run folders under a SEMLAB_HOME. */
export function runFolders(home: string): string[] {
  try {
    // Not the dot-folders a run is built in (or pruned through) before it has its name.
    return readdirSync(join(home, 'runs'))
      .filter((name) => !name.startsWith('.'))
      .map((name) => join(home, 'runs', name));
  } catch {
    return [];
  }
}

/** Polls `condition` until it holds: a readiness check, not a sleep. */
export async function until(
  condition: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The fields of a report that describe the machine or the run's identity, not the lesson. */
const MACHINE_FIELDS = ['durationMs', 'throughput', 'runId', 'runDir', 'dispatcherMaxRssKb'];

/** A report without its machine fields: what must be identical when a run is reproduced. */
export function lessonPart(report: RunReport): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...report };
  for (const field of MACHINE_FIELDS) delete copy[field];
  return copy;
}
