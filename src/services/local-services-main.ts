/**
 * `scripts/services up redis | down`: local services for people without Docker, and for CI.
 * `up` prints `REDIS_URL=...` on stdout, a line a shell can eval; what it started is recorded in a
 * state file so that `down` stops exactly that.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRedis } from './local-redis.js';

const stateDir = join(
  process.env.XDG_RUNTIME_DIR || tmpdir(),
  `semlab-services-${process.getuid?.() ?? 'user'}`,
);
const stateFile = join(stateDir, 'services.json');

interface State {
  services: { name: string; pid: number; url: string }[];
}

function readState(): State {
  return existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as State)
    : { services: [] };
}

async function up(names: string[]): Promise<void> {
  const state = readState();
  for (const name of names) {
    if (name !== 'redis') throw new Error(`unknown service '${name}'; available: redis`);
    const redis = await startLocalRedis({ detached: true });
    state.services.push({ name, pid: redis.pid, url: redis.url });
    process.stdout.write(`REDIS_URL=${redis.url}\n`);
  }
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

function down(): void {
  for (const service of readState().services) {
    try {
      process.kill(service.pid, 'SIGTERM');
      process.stderr.write(`stopped ${service.name} (pid ${service.pid}, ${service.url})\n`);
    } catch {
      // Already gone.
    }
  }
  rmSync(stateFile, { force: true });
}

const [command, ...names] = process.argv.slice(2);
try {
  if (command === 'up') await up(names.length > 0 ? names : ['redis']);
  else if (command === 'down') down();
  else throw new Error('usage: scripts/services up [redis] | down');
} catch (error) {
  process.stderr.write(`services: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
