import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalRedis } from '../../src/services/local-redis.js';
import { deleteKeysWithPrefix } from '../../src/services/redis.js';
import {
  finished,
  makeSemlabHome,
  runFolders,
  runSemlab,
  startSemlab,
  until,
} from '../support/semlab.js';

/**
 * Servers that are not what they seem: a redis-server frozen mid-run (SIGSTOP), a fake that
 * answers +PONG to everything, a database index the server lacks. Each must end semlab with exit
 * 3 and one line that names the address, within a bounded time, and nothing left spinning.
 */
describe('Redis servers that stop answering or are not Redis', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  for (const part of ['--transport', '--store'] as const) {
    it(`a Redis frozen during a run (${part} redis) ends it as a stall naming the address, not as a failed cleanup`, async () => {
      const redis = await startLocalRedis();
      try {
        const child = startSemlab(
          [
            'run',
            'exactly-once',
            part,
            'redis',
            '--messages',
            '1000000',
            '--redis-url',
            redis.url,
            '--no-live',
          ],
          home,
        );
        const result = finished(child);
        const before = new Set(runFolders(home));
        await until(() => runFolders(home).some((dir) => !before.has(dir)), 'the run folder');
        const runDir = runFolders(home).find((dir) => !before.has(dir)) as string;
        const w1 = join(runDir, 'journal', 'w1.0.jsonl');
        await until(
          () => existsSync(w1) && readFileSync(w1, 'utf8').length > 2000,
          'w1 to be busy',
        );
        process.kill(redis.pid, 'SIGSTOP');
        const frozenAt = Date.now();
        const { code, stderr } = await result;
        const tookMs = Date.now() - frozenAt;
        // The dispatcher's watchdog needs 15 s without movement, then the probe 2 s: bounded.
        expect(tookMs).toBeLessThan(40_000);
        expect(code).toBe(3);
        const errors = stderr.split('\n').filter((line) => line.startsWith('semlab:'));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toContain(`Redis at ${redis.url} stopped answering`);
        expect(errors[0]).toMatch(/^semlab: the run stalled: /);
        expect(stderr).not.toContain('cleanup failed');
      } finally {
        process.kill(redis.pid, 'SIGCONT');
        await redis.stop();
      }
    }, 90_000);
  }

  it('a fake server answering +PONG to everything is refused at once (ECHO of a random token), and semlab exits', async () => {
    const fake = await listen((socket) => answerEveryCommand(socket, () => '+PONG\r\n'));
    try {
      const url = `redis://127.0.0.1:${port(fake)}`;
      const started = Date.now();
      const { code, stderr, signal } = await runSemlab(
        ['run', 'exactly-once', '--transport', 'redis', '--store', 'redis', '--redis-url', url],
        home,
      );
      expect(Date.now() - started).toBeLessThan(8000);
      expect(signal).toBeNull();
      expect(code).toBe(3);
      expect(stderr.trim()).toBe(
        `semlab: the server at ${url} does not behave like Redis (answered 'PONG' to ECHO); check the address of --redis-url or REDIS_URL`,
      );
    } finally {
      await close(fake);
    }
  });

  it('a cleanup against a server whose SCAN replies are not Redis-shaped fails instead of spinning', async () => {
    const fake = await listen((socket) => answerEveryCommand(socket, () => '+PONG\r\n'));
    const redis = new Redis(`redis://127.0.0.1:${port(fake)}`, { lazyConnect: true });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      const started = Date.now();
      await expect(deleteKeysWithPrefix(redis, 'semlab:x:')).rejects.toThrow(
        /answered SCAN with 'PONG'/,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      redis.disconnect();
      await close(fake);
    }
  });

  it('a cleanup against a server whose SCAN cursor never returns to 0 ends at its deadline', async () => {
    // A well-formed SCAN reply, cursor 7 and no keys, to every command: the old loop ran forever.
    let scans = 0;
    const fake = await listen((socket) =>
      answerEveryCommand(socket, () => {
        scans++;
        return '*2\r\n$1\r\n7\r\n*0\r\n';
      }),
    );
    const redis = new Redis(`redis://127.0.0.1:${port(fake)}`, {
      lazyConnect: true,
      enableReadyCheck: false,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      const started = Date.now();
      await expect(deleteKeysWithPrefix(redis, 'semlab:x:', 500)).rejects.toThrow(
        /took longer than 0\.5 s/,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect(scans).toBeGreaterThan(1);
    } finally {
      redis.disconnect();
      await close(fake);
    }
  });

  it('database 99 on a 16-database server is refused with exit 3 naming the index, not run on database 0', async () => {
    const redis = await startLocalRedis();
    const admin = new Redis(redis.url);
    try {
      expect(await admin.config('GET', 'databases')).toEqual(['databases', '16']);
      for (const part of ['--transport', '--store']) {
        const { code, stderr } = await runSemlab(
          ['run', 'exactly-once', part, 'redis', '--redis-url', `${redis.url}/99`],
          home,
        );
        expect(code).toBe(3);
        expect(stderr.trim()).toMatch(
          new RegExp(`^semlab: Redis at ${redis.url}/99 has no database 99 \\(ERR [^)]*\\); `),
        );
      }
      // Nothing of those runs landed in database 0 (or anywhere).
      expect(await admin.dbsize()).toBe(0);
      // An index the server has is used, and only that one.
      const { code } = await runSemlab(
        ['run', 'exactly-once', '--store', 'redis', '--keep', '--redis-url', `${redis.url}/5`],
        home,
      );
      expect(code).toBe(0);
      expect(await admin.dbsize()).toBe(0);
      await admin.select(5);
      expect(await admin.dbsize()).toBeGreaterThan(0);
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  });
});

const sockets = new WeakMap<Server, Set<Socket>>();

function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  sockets.set(server, open);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function port(server: Server): number {
  return (server.address() as { port: number }).port;
}

function close(server: Server): Promise<void> {
  for (const socket of sockets.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * One reply per command, whatever the command: a fake server. Commands arrive pipelined, several
 * to a chunk or split across chunks, so they are counted by reading RESP (arrays of bulk strings).
 */
function answerEveryCommand(socket: Socket, reply: () => string): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const end = commandEnd(buffered);
      if (end < 0) return;
      buffered = buffered.subarray(end);
      socket.write(reply());
    }
  });
}

/** Where the first complete command of `data` ends, or -1. */
function commandEnd(data: Buffer): number {
  const line = (from: number): [string, number] | undefined => {
    const eol = data.indexOf('\r\n', from);
    return eol < 0 ? undefined : [data.toString('latin1', from, eol), eol + 2];
  };
  const header = line(0);
  if (!header?.[0].startsWith('*')) return header ? header[1] : -1; // an inline command
  let at = header[1];
  for (let i = 0; i < Number(header[0].slice(1)); i++) {
    const bulk = line(at);
    if (!bulk) return -1;
    at = bulk[1] + Number(bulk[0].slice(1)) + 2;
    if (at > data.length) return -1;
  }
  return at;
}
