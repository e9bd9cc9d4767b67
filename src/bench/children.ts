import { fork, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openCpuLog, type CpuSplit } from './cpu-log.js';
import type { ChildToBench } from './protocol.js';

/**
 * The child processes this bench starts, and nothing else: each one is tracked from the moment it
 * exists until it has exited, so a failed measurement or a Ctrl-C can stop exactly these (by their
 * own handles, never by name).
 */
const running = new Set<ChildProcess>();
/** Set by `stopAll`: from then on no new child may start, so an interrupted bench ends for good. */
let stopping = false;

/** While a measurement's CPU is collected (withCpuLog): the environment that records it. */
let measuredEnv: NodeJS.ProcessEnv | undefined;

/**
 * Runs one measurement with every process it starts (forkBenchEntry, spawnTracked, and their
 * children) recording its CPU time at exit, and returns that time split by role.
 */
export async function withCpuLog<T>(measure: () => Promise<T>): Promise<[T, CpuSplit]> {
  const log = openCpuLog();
  measuredEnv = log.env;
  try {
    const result = await measure();
    return [result, log.read()];
  } finally {
    measuredEnv = undefined;
    log.dispose();
  }
}

/** How long a child gets to exit after SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 2000;

function track(start: () => ChildProcess): ChildProcess {
  if (stopping) throw new Error('the bench is stopping; no new process is started');
  const child = start();
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Forks one of the bench's own compiled entry points (a file in dist/bench/). The path goes
 * through dist/ explicitly, so that it is the same whether this module runs compiled (from
 * dist/bench/) or from source under vitest (from src/bench/, where no .js entry exists).
 */
export function forkBenchEntry(file: string, args: readonly string[]): ChildProcess {
  const entry = fileURLToPath(new URL(`../../dist/bench/${file}`, import.meta.url));
  // execArgv: [] so that flags given to the bench (e.g. --cpu-prof) do not leak into the children.
  return track(() =>
    fork(entry, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
      // The raw loops are stopped by SIGTERM: with a CPU log they exit normally on it to record.
      ...(measuredEnv
        ? { env: { ...process.env, ...measuredEnv, SEMLAB_BENCH_CPU_ON_SIGTERM: '1' } }
        : {}),
    }),
  );
}

/** Spawns a program that is not one of ours (the semlab CLI). */
export function spawnTracked(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ChildProcess {
  const env = measuredEnv ? withMeasuredEnv(options.env ?? process.env) : options.env;
  return track(() => spawn(command, args, { ...options, ...(env ? { env } : {}) }));
}

/** The measurement's variables over `base`; node options of both are kept (preloads add up). */
function withMeasuredEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const measured = measuredEnv ?? {};
  const options = [...new Set([base.NODE_OPTIONS, measured.NODE_OPTIONS])].filter(Boolean);
  return {
    ...base,
    ...measured,
    ...(options.length > 0 ? { NODE_OPTIONS: options.join(' ') } : {}),
  };
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the exit code (or signal name) once the child has exited. */
export function exited(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    if (hasExited(child)) return resolve(describeExit(child.exitCode, child.signalCode));
    child.once('exit', (code, signal) => resolve(describeExit(code, signal)));
  });
}

/**
 * Like `exited`, but also waits for the child's stdout and stderr pipes to be drained: a process
 * can exit before the last of its output has been read ('exit' comes before 'close').
 */
export function closed(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    child.once('close', (code, signal) => resolve(describeExit(code, signal)));
  });
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/**
 * The next IPC message of the given type from a forked child. Rejects, instead of waiting forever,
 * when the child reports a failure, exits first, or stays silent for `timeoutMs`.
 */
export function nextMessage<T extends ChildToBench['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  what: string,
): Promise<Extract<ChildToBench, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: ChildToBench): void => {
      if (message.type === 'failed') {
        cleanup();
        reject(new Error(message.message));
      } else if (message.type === type) {
        cleanup();
        resolve(message as Extract<ChildToBench, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`${what} ended (${describeExit(code, signal)}) before '${type}'`));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Stops one child: SIGTERM, then SIGKILL if it is still there after the grace period. */
export async function stop(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exit = exited(child);
  child.kill('SIGTERM');
  const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exit;
  clearTimeout(grace);
}

/** Stops every child the bench started that is still running, and lets no new one start. */
export async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all([...running].map(stop));
}
