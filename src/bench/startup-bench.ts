import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closed, spawnTracked } from './children.js';
import { median } from './stats.js';

const SEMLAB_BIN = fileURLToPath(new URL('../../bin/semlab', import.meta.url));

/** Whole-process figures of one command: wall seconds, and CPU seconds of it and its children. */
export interface ProcessTimes {
  readonly wallS: number;
  /** Undefined where the system does not tell (only Linux's /proc is read). */
  readonly cpuS: number | undefined;
}

export interface DefaultRunReport {
  readonly command: string;
  readonly semlab: ProcessTimes & { readonly runs: readonly ProcessTimes[] };
  readonly node: ProcessTimes & { readonly runs: readonly ProcessTimes[] };
}

/**
 * The start-up a user waits for: `semlab run at-least-once` (its defaults: 3 workers, 100
 * messages), alternated with `node -e 0` (Node's own floor) so a slow spell hits both, each
 * timed as a whole process tree: wall time, and the CPU time the kernel charged to it and every
 * process it reaped (the dispatcher and the workers), read from this process's children times.
 */
export async function measureDefaultRun(
  repeat: number,
  log: (line: string) => void,
): Promise<DefaultRunReport> {
  const semlab: ProcessTimes[] = [];
  const node: ProcessTimes[] = [];
  const home = mkdtempSync(join(tmpdir(), 'semlab-bench-default-'));
  try {
    for (let i = 1; i <= repeat; i++) {
      semlab.push(await timeProcess([SEMLAB_BIN, 'run', 'at-least-once', '--json'], home));
      node.push(await timeProcess(['-e', '0'], home));
      log(
        `run ${i}/${repeat}: default run ${semlab.at(-1)?.wallS} s wall, node -e 0 ${node.at(-1)?.wallS} s`,
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return {
    command: 'semlab run at-least-once',
    semlab: { ...medians(semlab), runs: semlab },
    node: { ...medians(node), runs: node },
  };
}

function medians(runs: readonly ProcessTimes[]): ProcessTimes {
  const cpu = runs.map((r) => r.cpuS);
  return {
    wallS: median(runs.map((r) => r.wallS)),
    cpuS: cpu.every((c) => c !== undefined) ? median(cpu) : undefined,
  };
}

async function timeProcess(args: readonly string[], home: string): Promise<ProcessTimes> {
  const cpuBefore = childrenCpuS();
  const startedAt = performance.now();
  const child = spawnTracked(process.execPath, args, {
    env: { ...process.env, SEMLAB_HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await closed(child);
  const wallS = round((performance.now() - startedAt) / 1000);
  if (status !== 'exit code 0') {
    throw new Error(`node ${args.join(' ')} failed (${status}): ${stderr.trim().slice(-500)}`);
  }
  const cpuAfter = childrenCpuS();
  return {
    wallS,
    cpuS:
      cpuBefore !== undefined && cpuAfter !== undefined ? round(cpuAfter - cpuBefore) : undefined,
  };
}

/**
 * User + system seconds of this process's reaped children (and theirs), from /proc/self/stat
 * (cutime, cstime; in clock ticks of 1/100 s on Linux). Undefined elsewhere.
 */
function childrenCpuS(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
