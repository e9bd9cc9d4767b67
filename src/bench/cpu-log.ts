import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * CPU time per process role of one measurement, from the lines ./cpu-probe.ts appends at each
 * process's exit. The dispatching side is semlab's dispatcher or the raw loop's sender; the
 * workers are every worker, replier or consumer process (their sum: each message is handled by
 * one of them). Start-up is included in both, on both sides alike.
 */
export interface CpuSplit {
  readonly dispatcherUs: number;
  readonly workersUs: number;
  /** Processes that recorded their CPU (a process killed by a signal records none). */
  readonly processes: number;
}

const DISPATCHING = new Set([
  'dispatcher-entry.js',
  'raw-dealer-main.js',
  'raw-redis-producer-main.js',
  'raw-kafka-producer-main.js',
]);
const WORKING = new Set([
  'worker-entry.js',
  'raw-reply-main.js',
  'raw-redis-consumer-main.js',
  'raw-kafka-consumer-main.js',
]);

const PROBE = fileURLToPath(new URL('../../dist/bench/cpu-probe.js', import.meta.url));

export interface CpuLog {
  /** For the environment of every process of the measurement. */
  readonly env: NodeJS.ProcessEnv;
  read(): CpuSplit;
  dispose(): void;
}

export function openCpuLog(): CpuLog {
  const dir = mkdtempSync(join(tmpdir(), 'semlab-bench-cpu-'));
  const file = join(dir, 'cpu.jsonl');
  const options = [process.env.NODE_OPTIONS, `--import=${PROBE}`].filter(Boolean).join(' ');
  return {
    env: { NODE_OPTIONS: options, SEMLAB_BENCH_CPU_LOG: file },
    read: () => splitCpu(existsSync(file) ? readFileSync(file, 'utf8') : ''),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function splitCpu(lines: string): CpuSplit {
  let dispatcherUs = 0;
  let workersUs = 0;
  let processes = 0;
  for (const line of lines.split('\n').filter(Boolean)) {
    const { script, cpuUs } = JSON.parse(line) as { script: string; cpuUs: number };
    if (DISPATCHING.has(script)) dispatcherUs += cpuUs;
    else if (WORKING.has(script)) workersUs += cpuUs;
    else continue;
    processes++;
  }
  return { dispatcherUs, workersUs, processes };
}
