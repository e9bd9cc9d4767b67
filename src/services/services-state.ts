import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The state file of `scripts/services`: what `up` started, so that `down` stops exactly that, and
 * so that semlab can find the description of a local Kafka cluster (for --crash-broker).
 */
export interface ServicesState {
  services: ServiceEntry[];
}

export interface ServiceEntry {
  name: string;
  pid: number;
  url: string;
  /** Kafka: the cluster's description file (see local-kafka.ts); its pids follow restarts. */
  cluster?: string;
}

export function servicesStateFile(): string {
  const dir = join(
    process.env.XDG_RUNTIME_DIR || tmpdir(),
    `semlab-services-${process.getuid?.() ?? 'user'}`,
  );
  return join(dir, 'services.json');
}

export function readServicesState(file = servicesStateFile()): ServicesState {
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as ServicesState)
    : { services: [] };
}

export function writeServicesState(state: ServicesState, file = servicesStateFile()): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2));
}

/** The description files of the Kafka clusters `scripts/services up kafka` started. */
export function servicesKafkaClusters(): string[] {
  const files = readServicesState()
    .services.filter((s) => s.name === 'kafka' && s.cluster)
    .map((s) => s.cluster as string);
  return [...new Set(files)];
}
