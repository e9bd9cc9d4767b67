/**
 * `scripts/services up redis | up kafka [--brokers 1|3] | down`: local services for people
 * without Docker, and for CI. `up` prints `REDIS_URL=...` or `KAFKA_BROKERS=...` on stdout, lines
 * a shell can eval; what it started is recorded in a state file so that `down` stops exactly that.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalKafka } from './local-kafka.js';
import { startLocalRedis } from './local-redis.js';

const stateDir = join(
  process.env.XDG_RUNTIME_DIR || tmpdir(),
  `semlab-services-${process.getuid?.() ?? 'user'}`,
);
const stateFile = join(stateDir, 'services.json');

interface State {
  services: { name: string; pid: number; url: string }[];
}

function brokerCount(args: string[]): 1 | 3 {
  const index = args.indexOf('--brokers');
  if (index < 0) return 1;
  const value = args[index + 1];
  if (value !== '1' && value !== '3') throw new Error(`--brokers: '${value ?? ''}' is not 1 or 3`);
  return value === '3' ? 3 : 1;
}

function readState(): State {
  return existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as State)
    : { services: [] };
}

async function up(args: string[]): Promise<void> {
  const names = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--brokers');
  const state = readState();
  for (const name of names.length > 0 ? names : ['redis']) {
    if (name === 'redis') {
      const redis = await startLocalRedis({ detached: true });
      state.services.push({ name, pid: redis.pid, url: redis.url });
      process.stdout.write(`REDIS_URL=${redis.url}\n`);
    } else if (name === 'kafka') {
      const kafka = await startLocalKafka({ brokers: brokerCount(args), detached: true });
      for (const pid of kafka.pids) state.services.push({ name, pid, url: kafka.brokers });
      process.stdout.write(`KAFKA_BROKERS=${kafka.brokers}\n`);
    } else {
      throw new Error(`unknown service '${name}'; available: redis, kafka`);
    }
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
  if (command === 'up') await up(names);
  else if (command === 'down') down();
  else throw new Error('usage: scripts/services up [redis] [kafka [--brokers 1|3]] | down');
} catch (error) {
  process.stderr.write(`services: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
