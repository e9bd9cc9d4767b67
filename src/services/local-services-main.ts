/**
 * `scripts/services up redis | up kafka [--brokers 1|3] | down`: local services for people
 * without Docker, and for CI. `up` prints `REDIS_URL=...` or `KAFKA_BROKERS=...` on stdout, lines
 * a shell can eval; what it started is recorded in a state file so that `down` stops exactly that.
 */
import { rmSync } from 'node:fs';
import { startLocalKafka, stopCluster } from './local-kafka.js';
import { startLocalRedis } from './local-redis.js';
import {
  readServicesState,
  servicesStateFile,
  writeServicesState,
  type ServiceEntry,
} from './services-state.js';

function brokerCount(args: string[]): 1 | 3 {
  const index = args.indexOf('--brokers');
  if (index < 0) return 1;
  const value = args[index + 1];
  if (value !== '1' && value !== '3') throw new Error(`--brokers: '${value ?? ''}' is not 1 or 3`);
  return value === '3' ? 3 : 1;
}

async function up(args: string[]): Promise<void> {
  const names = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--brokers');
  const state = readServicesState();
  for (const name of names.length > 0 ? names : ['redis']) {
    if (name === 'redis') {
      const redis = await startLocalRedis({ detached: true });
      state.services.push({ name, pid: redis.pid, url: redis.url });
      process.stdout.write(`REDIS_URL=${redis.url}\n`);
    } else if (name === 'kafka') {
      const kafka = await startLocalKafka({ brokers: brokerCount(args), detached: true });
      // The description file follows restarts (a node killed by --crash-broker comes back with a
      // new pid), so `down` and semlab read the nodes from there.
      for (const pid of kafka.pids) {
        state.services.push({ name, pid, url: kafka.brokers, cluster: kafka.descriptionFile });
      }
      process.stdout.write(`KAFKA_BROKERS=${kafka.brokers}\n`);
    } else {
      throw new Error(`unknown service '${name}'; available: redis, kafka`);
    }
  }
  writeServicesState(state);
}

async function down(): Promise<void> {
  const stoppedClusters = new Set<string>();
  for (const service of readServicesState().services) {
    if (service.cluster) {
      if (!stoppedClusters.has(service.cluster)) await stopKafka(service, stoppedClusters);
      continue;
    }
    try {
      process.kill(service.pid, 'SIGTERM');
      process.stderr.write(`stopped ${service.name} (pid ${service.pid}, ${service.url})\n`);
    } catch {
      // Already gone.
    }
  }
  rmSync(servicesStateFile(), { force: true });
}

/** Every node of the cluster, by the pids its description has now (restarted nodes included). */
async function stopKafka(service: ServiceEntry, stopped: Set<string>): Promise<void> {
  const cluster = service.cluster as string;
  stopped.add(cluster);
  await stopCluster(cluster);
  process.stderr.write(`stopped kafka (${service.url})\n`);
}

const [command, ...names] = process.argv.slice(2);
try {
  if (command === 'up') await up(names);
  else if (command === 'down') await down();
  else throw new Error('usage: scripts/services up [redis] [kafka [--brokers 1|3]] | down');
} catch (error) {
  process.stderr.write(`services: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
