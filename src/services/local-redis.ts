import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { Redis as RedisClient } from 'ioredis';

/**
 * A throwaway redis-server on a free loopback port with no persistence, for the tests and for
 * `scripts/services up redis`. Debian's redis-server is the only prerequisite.
 */
export interface LocalRedis {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port the kernel says is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startLocalRedis(options: { detached?: boolean } = {}): Promise<LocalRedis> {
  if (!redisServerInstalled()) {
    throw new Error(
      'redis-server is not installed: `sudo apt-get install -y redis-server` (or run scripts/setup as root)',
    );
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: 'ignore', detached: options.detached ?? false },
  );
  if (options.detached) child.unref();
  const url = `redis://127.0.0.1:${port}`;
  await waitUntilAnswers(url, 10_000);
  return {
    url,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Readiness: a PING that gets its PONG. */
async function waitUntilAnswers(url: string, timeoutMs: number): Promise<void> {
  // Loaded here, not at the top: only a caller that starts a Redis pays for loading ioredis.
  const { Redis } = await import('ioredis');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis: RedisClient = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      if ((await redis.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`redis-server on ${url} did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      redis.disconnect();
    }
  }
}
