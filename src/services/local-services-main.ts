/**
 * `scripts/services up [redis] [kafka [--brokers 1|3]] | down [redis] [kafka]`: local services for
 * people without Docker, and for CI. `up` prints lines a shell can eval: `export
 * SEMLAB_SERVICES_STATE=...` (this shell's state file, see services-state.ts), then `export
 * REDIS_URL=...` or `export KAFKA_BROKERS=...`. What it started is recorded there, with each
 * process's start time, so that `down` stops exactly that and never a process that merely got the
 * same pid later.
 */
import { startLocalKafka, stopCluster } from './local-kafka.js';
import { startLocalRedis } from './local-redis.js';
import {
  isRecordedProcess,
  newStateFile,
  processStartTime,
  readServicesState,
  shellStateFile,
  stateFilesInScope,
  writeServicesState,
  SERVICES_STATE_ENV,
  type ServiceEntry,
} from './services-state.js';

const KINDS = ['redis', 'kafka'] as const;

function brokerCount(args: string[]): 1 | 3 {
  const index = args.indexOf('--brokers');
  if (index < 0) return 1;
  const value = args[index + 1];
  if (value !== '1' && value !== '3') throw new Error(`--brokers: '${value ?? ''}' is not 1 or 3`);
  return value === '3' ? 3 : 1;
}

/** The service names among the arguments (what follows --brokers is its value, not a name). */
function kindsOf(args: string[]): string[] {
  const names = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--brokers');
  for (const name of names) {
    if (!(KINDS as readonly string[]).includes(name))
      throw new Error(`unknown service '${name}'; available: ${KINDS.join(', ')}`);
  }
  return names;
}

/** A value a POSIX shell reads back as itself. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

async function up(args: string[]): Promise<void> {
  const kinds = kindsOf(args);
  const file = shellStateFile() ?? newStateFile();
  // First, so that a shell that evals this output knows its state file even if a start fails.
  process.stdout.write(`export ${SERVICES_STATE_ENV}=${shellQuote(file)}\n`);
  for (const name of kinds.length > 0 ? kinds : ['redis']) {
    // Read and written around each start: what started is recorded even if the next one fails.
    const state = readServicesState(file);
    if (name === 'redis') {
      const redis = await startLocalRedis({ detached: true });
      state.services.push({ name, pid: redis.pid, url: redis.url, ...identity(redis.pid) });
      writeServicesState(state, file);
      process.stdout.write(`export REDIS_URL=${shellQuote(redis.url)}\n`);
    } else {
      const kafka = await startLocalKafka({ brokers: brokerCount(args), detached: true });
      // The description file follows restarts (a node killed by --crash-broker comes back with a
      // new pid), so `down` and semlab read the nodes from there.
      for (const pid of kafka.pids) {
        state.services.push({
          name,
          pid,
          url: kafka.brokers,
          cluster: kafka.descriptionFile,
          ...identity(pid),
        });
      }
      writeServicesState(state, file);
      process.stdout.write(`export KAFKA_BROKERS=${shellQuote(kafka.brokers)}\n`);
    }
  }
}

function identity(pid: number): { startTime?: string } {
  const startTime = processStartTime(pid);
  return startTime === undefined ? {} : { startTime };
}

/** Stops the services of the given kinds (all when none) recorded in the state files in scope. */
async function down(args: string[]): Promise<void> {
  const kinds = kindsOf(args);
  const wanted = (entry: ServiceEntry): boolean => kinds.length === 0 || kinds.includes(entry.name);
  const files = stateFilesInScope();
  if (files.length === 0) process.stderr.write('services: nothing was started here\n');
  for (const file of files) {
    const state = readServicesState(file);
    const stoppedClusters = new Set<string>();
    for (const service of state.services.filter(wanted)) {
      if (service.cluster) {
        if (stoppedClusters.has(service.cluster)) continue;
        stoppedClusters.add(service.cluster);
        // stopCluster checks each node's pid against its command line (the cluster's own
        // properties file) before it signals it: a reused pid is never a node.
        await stopCluster(service.cluster);
        process.stderr.write(`stopped kafka (${service.url})\n`);
      } else {
        await stopProcess(service);
      }
    }
    writeServicesState({ services: state.services.filter((s) => !wanted(s)) }, file);
  }
}

/** SIGTERM, SIGKILL after 10 s; only while the pid is still the recorded server. */
async function stopProcess(service: ServiceEntry): Promise<void> {
  const program = `${service.name}-server`;
  if (!isRecordedProcess(service, program)) {
    process.stderr.write(
      `not stopped: ${service.name} (${service.url}) is gone; pid ${service.pid} is not the process \`up\` started\n`,
    );
    return;
  }
  process.kill(service.pid, 'SIGTERM');
  if (!(await gone(service, program, 10_000))) {
    process.kill(service.pid, 'SIGKILL');
    await gone(service, program, 10_000);
  }
  process.stderr.write(`stopped ${service.name} (pid ${service.pid}, ${service.url})\n`);
}

async function gone(service: ServiceEntry, program: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRecordedProcess(service, program)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'up') await up(rest);
  else if (command === 'down') await down(rest);
  else
    throw new Error(
      'usage: scripts/services up [redis] [kafka [--brokers 1|3]] | down [redis] [kafka]',
    );
} catch (error) {
  process.stderr.write(`services: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
