import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutStateDir, processStartTime } from '../../src/services/services-state.js';

const SERVICES = resolve(import.meta.dirname, '../../scripts/services');

/** `scripts/services ...` as a shell runs it, with `state` as its SEMLAB_SERVICES_STATE (or none). */
function services(args: string[], state: string | undefined) {
  const { SEMLAB_SERVICES_STATE: _none, ...env } = process.env;
  const result = spawnSync(SERVICES, args, {
    encoding: 'utf8',
    env: state === undefined ? env : { ...env, SEMLAB_SERVICES_STATE: state },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The variables an `up` printed for eval, as a map. */
function exported(stdout: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const match = /^export (\w+)=(.*)$/.exec(line);
    if (!match) throw new Error(`not an export line: ${line}`);
    vars[match[1] as string] = match[2] as string;
  }
  return vars;
}

async function answersPing(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

describe('scripts/services: each shell stops only its own servers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'semlab-services-test-'));
  const shellA = join(dir, 'a.json');
  const shellB = join(dir, 'b.json');
  afterAll(() => {
    // Whatever a failed assertion left running.
    services(['down'], shellA);
    services(['down'], shellB);
    rmSync(dir, { recursive: true, force: true });
  });

  it('two shells each up redis; down in one leaves the other answering; down kafka stops no redis', async () => {
    const a = services(['up', 'redis'], shellA);
    const b = services(['up', 'redis'], shellB);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const varsA = exported(a.stdout);
    const varsB = exported(b.stdout);
    // The shell's own state file is named, so that its `down` finds it.
    expect(varsA.SEMLAB_SERVICES_STATE).toBe(shellA);
    const urlA = varsA.REDIS_URL as string;
    const urlB = varsB.REDIS_URL as string;
    expect(urlA).not.toBe(urlB);
    const pidA = JSON.parse(readFileSync(shellA, 'utf8')).services[0].pid as number;

    expect(await answersPing(urlA)).toBe(true);
    expect(await answersPing(urlB)).toBe(true);

    const downA = services(['down'], shellA);
    expect(downA.code).toBe(0);
    expect(downA.stderr).toContain(`stopped redis (pid ${pidA}, ${urlA})`);
    expect(processStartTime(pidA)).toBeUndefined();
    expect(await answersPing(urlA)).toBe(false);
    expect(await answersPing(urlB)).toBe(true);

    // One kind only: B's Redis survives a `down kafka`, then `down redis` stops it.
    expect(services(['down', 'kafka'], shellB).code).toBe(0);
    expect(await answersPing(urlB)).toBe(true);
    expect(services(['down', 'redis'], shellB).stderr).toContain('stopped redis');
    expect(await answersPing(urlB)).toBe(false);
  });

  it('a recorded pid that now belongs to another process is not signalled', async () => {
    // A live process with the pid the state file names, but not the redis-server `up` started:
    // its start time differs (the kernel gave the pid to someone else since).
    const other = spawn('sleep', ['300'], { stdio: 'ignore' });
    const pid = other.pid as number;
    try {
      const startTime = processStartTime(pid);
      expect(startTime).toBeDefined();
      const stale = join(dir, 'stale.json');
      writeFileSync(
        stale,
        JSON.stringify({
          services: [
            {
              name: 'redis',
              pid,
              url: 'redis://127.0.0.1:1',
              startTime: String(Number(startTime) - 1),
            },
          ],
        }),
      );
      const down = services(['down'], stale);
      expect(down.code).toBe(0);
      expect(down.stderr).toContain(`not stopped: redis (redis://127.0.0.1:1) is gone; pid ${pid}`);
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      expect(processStartTime(pid)).toBe(startTime);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('without SEMLAB_SERVICES_STATE, up records in the checkout (not /tmp) and down stops only what this checkout started', async () => {
    const other = services(['up', 'redis'], shellB);
    const otherUrl = exported(other.stdout).REDIS_URL as string;
    const own = services(['up', 'redis'], undefined);
    expect(own.code).toBe(0);
    const vars = exported(own.stdout);
    expect(vars.SEMLAB_SERVICES_STATE?.startsWith(checkoutStateDir() + '/')).toBe(true);
    const url = vars.REDIS_URL as string;
    expect(await answersPing(url)).toBe(true);

    const down = services(['down'], undefined);
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(`stopped redis`);
    expect(await answersPing(url)).toBe(false);
    // Another shell's Redis, recorded outside this checkout's folder, is not this checkout's.
    expect(await answersPing(otherUrl)).toBe(true);
    services(['down'], shellB);
    expect(await answersPing(otherUrl)).toBe(false);
  });
});
