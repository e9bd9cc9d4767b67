import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './local-redis.js';

/**
 * A throwaway Apache Kafka 3.9 cluster in KRaft mode (1 or 3 combined broker+controller nodes) on
 * free loopback ports, for the tests and `scripts/services up kafka`. Java 17 and Maven are the
 * only prerequisites: the jars come from Maven Central once, into .cache/kafka/jars.
 */
export const KAFKA_VERSION = '3.9.1';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POM = join(PROJECT_ROOT, 'scripts', 'kafka', 'pom.xml');
export const KAFKA_JARS_DIR = join(PROJECT_ROOT, '.cache', 'kafka', 'jars');

export interface LocalKafka {
  /** "127.0.0.1:p1,127.0.0.1:p2,...": the broker (never the controller) listeners. */
  readonly brokers: string;
  /** The nodes' processes now (a node restarted by another process has a new pid). */
  readonly pids: number[];
  /**
   * The cluster's description (KafkaClusterDescription, JSON) in its temp root: what another
   * process needs to kill and restart a node (`killNode`, `restartNode`). semlab finds it through
   * SEMLAB_KAFKA_CLUSTER or the state file of `scripts/services`.
   */
  readonly descriptionFile: string;
  /** Stops every node (restarted ones too) and deletes the cluster's folders. */
  stop(): Promise<void>;
}

/** One node of a local cluster, as another process needs to know it to kill and restart it. */
export interface KafkaNodeDescription {
  readonly nodeId: number;
  /** Its broker listener, "127.0.0.1:port": the address clients and metadata give it. */
  readonly address: string;
  /** Its process now; `restartNode` replaces it. */
  readonly pid: number;
  /** The exact command line that starts it (argv[0] is the program), for a restart. */
  readonly argv: readonly string[];
  /** Its log.dirs: a restart reuses it, so the node comes back with the replicas it had. */
  readonly logDir: string;
  /** Where its stderr goes (Kafka logs WARN and above there), across restarts. */
  readonly outputFile: string;
}

export interface KafkaClusterDescription {
  /** The temp folder that holds everything of the cluster, this file included. */
  readonly root: string;
  readonly brokers: string;
  readonly nodes: readonly KafkaNodeDescription[];
}

/** The description's file name inside the cluster's root. */
export const CLUSTER_DESCRIPTION_FILE = 'cluster.json';

/** Fetches the broker's jars with Maven unless they are already there. */
export function ensureKafkaJars(): string {
  if (existsSync(join(KAFKA_JARS_DIR, `kafka_2.13-${KAFKA_VERSION}.jar`))) return KAFKA_JARS_DIR;
  for (const tool of ['java', 'mvn']) {
    if (spawnSync(tool, ['-version'], { stdio: 'ignore' }).status !== 0) {
      throw new Error(
        `${tool} is not installed: Kafka needs Java 17 and Maven (apt-get install openjdk-17-jre-headless maven)`,
      );
    }
  }
  mkdirSync(KAFKA_JARS_DIR, { recursive: true });
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${KAFKA_JARS_DIR}`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    rmSync(KAFKA_JARS_DIR, { recursive: true, force: true });
    throw new Error(
      `Maven could not fetch Kafka ${KAFKA_VERSION}: ${(result.stdout + result.stderr).trim().slice(-500)}`,
    );
  }
  return KAFKA_JARS_DIR;
}

interface NodePlan {
  id: number;
  brokerPort: number;
  controllerPort: number;
  dir: string;
}

/** Formats the storage of every node and starts them together; resolves once the cluster answers. */
export async function startLocalKafka(
  options: { brokers?: 1 | 3; detached?: boolean } = {},
): Promise<LocalKafka> {
  try {
    return await startLocalKafkaOnce(options);
  } catch (error) {
    // Free ports are picked before the nodes bind them, so another process can take one in
    // between: then (and only then) start again on fresh ports.
    if (!(error instanceof PortTakenError)) throw error;
    return startLocalKafkaOnce(options);
  }
}

/** A node could not bind a port that was free a moment before. */
class PortTakenError extends Error {}

async function startLocalKafkaOnce(
  options: { brokers?: 1 | 3; detached?: boolean } = {},
): Promise<LocalKafka> {
  const count = options.brokers ?? 1;
  const jars = join(ensureKafkaJars(), '*');
  const root = mkdtempSync(join(tmpdir(), 'semlab-kafka-'));
  const nodes: NodePlan[] = [];
  for (let id = 1; id <= count; id++) {
    nodes.push({
      id,
      brokerPort: await freePort(),
      controllerPort: await freePort(),
      dir: join(root, `node-${id}`),
    });
  }
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const clusterId = randomBytes(16).toString('base64url');
  const log4j = join(root, 'log4j.properties');
  writeFileSync(
    log4j,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  const javaOptions = ['-Xmx512m', '-Xms128m', `-Dlog4j.configuration=file:${log4j}`, '-cp', jars];
  const descriptionFile = join(root, CLUSTER_DESCRIPTION_FILE);
  const stop = () => stopCluster(descriptionFile);
  try {
    for (const node of nodes) {
      const properties = join(root, `node-${node.id}.properties`);
      writeFileSync(properties, nodeProperties(node, voters, count));
      // Static voters: every node is formatted with the same cluster id, without --standalone.
      const format = spawnSync(
        'java',
        // `--cluster-id=ID`, not `-t ID`: one id in 64 starts with '-' (base64url), and the
        // tool's argument parser then reads it as an option and fails.
        [
          ...javaOptions,
          'kafka.tools.StorageTool',
          'format',
          `--cluster-id=${clusterId}`,
          '-c',
          properties,
        ],
        {
          encoding: 'utf8',
        },
      );
      if (format.status !== 0)
        throw new Error(`formatting Kafka storage failed: ${format.stderr.trim().slice(-400)}`);
    }
    const brokers = nodes.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
    // The description is on disk before any node starts, so `stop` finds every node it started.
    const description: KafkaClusterDescription = {
      root,
      brokers,
      nodes: nodes.map((node) => ({
        nodeId: node.id,
        address: `127.0.0.1:${node.brokerPort}`,
        pid: -1,
        argv: ['java', ...javaOptions, 'kafka.Kafka', join(root, `node-${node.id}.properties`)],
        logDir: node.dir,
        outputFile: join(root, `node-${node.id}.log`),
      })),
    };
    writeClusterDescription(descriptionFile, description);
    for (const node of description.nodes) {
      // Detached nodes outlive `scripts/services up`; the others are stopped by `stop`.
      const pid = spawnNode(node, options.detached ?? false);
      updateNodePid(descriptionFile, node.nodeId, pid);
    }
    await waitForCluster(
      brokers,
      count,
      120_000,
      () => readClusterDescription(descriptionFile).nodes,
    );
    let lastPids = readClusterDescription(descriptionFile).nodes.map((n) => n.pid);
    return {
      brokers,
      descriptionFile,
      get pids() {
        // After `stop` the file is gone: the last pids seen are the answer then.
        if (existsSync(descriptionFile)) {
          lastPids = readClusterDescription(descriptionFile).nodes.map((n) => n.pid);
        }
        return lastPids;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function nodeProperties(node: NodePlan, voters: string, count: number): string {
  const replication = count >= 3 ? 3 : 1;
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${node.dir}`,
    `offsets.topic.replication.factor=${replication}`,
    `transaction.state.log.replication.factor=${replication}`,
    `transaction.state.log.min.isr=${count >= 3 ? 2 : 1}`,
    'group.initial.rebalance.delay.ms=0',
    // semlab's workers use short sessions, so a killed worker's partitions move on quickly.
    'group.min.session.timeout.ms=500',
    'auto.create.topics.enable=false',
    // Three nodes are for the broker crash lesson (--crash-broker): the controller fences a dead
    // broker, and lets its restarted incarnation back in, after 6 s instead of the default 9 s.
    // One node keeps the defaults: fencing the only broker would stop everything.
    ...(count >= 3 ? ['broker.session.timeout.ms=6000', 'broker.heartbeat.interval.ms=1000'] : []),
    '',
  ].join('\n');
}

/** Ready when an admin client sees every broker (readiness, not a sleep). */
async function waitForCluster(
  brokers: string,
  count: number,
  timeoutMs: number,
  /** The nodes as started (with their pids), to notice one that died. */
  nodes: () => readonly KafkaNodeDescription[] = () => [],
): Promise<void> {
  // kafkajs is loaded only here: the CLI imports this module (for --crash-broker) on every run.
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length >= count && cluster.controller !== null) return;
    } catch {
      // Not up yet.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    // A node that died while starting will never answer: say why now, not at the deadline.
    for (const node of nodes()) {
      if (isNodeRunning(node)) continue;
      const output = existsSync(node.outputFile) ? readFileSync(node.outputFile, 'utf8') : '';
      const why = `Kafka node ${node.nodeId} exited while starting; see ${node.outputFile}`;
      if (/Address already in use|BindException/.test(output)) throw new PortTakenError(why);
      throw new Error(why);
    }
    if (Date.now() > deadline)
      throw new Error(`Kafka on ${brokers} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function readClusterDescription(descriptionFile: string): KafkaClusterDescription {
  return JSON.parse(readFileSync(descriptionFile, 'utf8')) as KafkaClusterDescription;
}

/** Whole or not at all (a rename), so a reader in another process never sees half a file. */
function writeClusterDescription(
  descriptionFile: string,
  description: KafkaClusterDescription,
): void {
  const partial = `${descriptionFile}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(description, null, 2) + '\n');
  renameSync(partial, descriptionFile);
}

function updateNodePid(descriptionFile: string, nodeId: number, pid: number): void {
  const description = readClusterDescription(descriptionFile);
  writeClusterDescription(descriptionFile, {
    ...description,
    nodes: description.nodes.map((node) => (node.nodeId === nodeId ? { ...node, pid } : node)),
  });
}

function nodeOf(description: KafkaClusterDescription, nodeId: number): KafkaNodeDescription {
  const node = description.nodes.find((n) => n.nodeId === nodeId);
  if (!node)
    throw new Error(`the local Kafka cluster in ${description.root} has no node ${nodeId}`);
  return node;
}

/** Starts a node's process with its recorded command line; its stderr goes to its output file. */
function spawnNode(node: KafkaNodeDescription, detached: boolean): number {
  const [program, ...args] = node.argv;
  if (!program) throw new Error(`node ${node.nodeId} has no command line`);
  const output = openSync(node.outputFile, 'a');
  try {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', output], detached });
    if (detached) child.unref();
    if (child.pid === undefined) throw new Error(`could not start Kafka node ${node.nodeId}`);
    return child.pid;
  } finally {
    // The child has its own copy of the descriptor.
    closeSync(output);
  }
}

/**
 * Is this node's process alive? Checked by its command line too, so a pid the kernel has since
 * given to another process is never taken for the node (and never killed). A zombie (dead, not yet
 * reaped by its parent) is not alive.
 */
export function isNodeRunning(node: KafkaNodeDescription): boolean {
  if (node.pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${node.pid}/stat`, 'utf8');
    // "pid (comm) S ...": the state follows the last ')'.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    const commandLine = readFileSync(`/proc/${node.pid}/cmdline`, 'utf8').split('\0');
    return commandLine.includes('kafka.Kafka') && commandLine.includes(node.argv.at(-1) ?? '');
  } catch {
    return false;
  }
}

async function waitUntilGone(node: KafkaNodeDescription, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isNodeRunning(node)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Kills one node with SIGKILL (a real process death: no controlled shutdown, no leadership
 * handed over, nothing flushed) and resolves once the process is gone. Works from any process.
 */
export async function killNode(
  descriptionFile: string,
  nodeId: number,
): Promise<KafkaNodeDescription> {
  const node = nodeOf(readClusterDescription(descriptionFile), nodeId);
  if (!isNodeRunning(node))
    throw new Error(`Kafka node ${nodeId} (pid ${node.pid}) is not running`);
  process.kill(node.pid, 'SIGKILL');
  if (!(await waitUntilGone(node, 10_000)))
    throw new Error(`Kafka node ${nodeId} (pid ${node.pid}) survived SIGKILL for 10 s`);
  return node;
}

/**
 * Starts a node that is not running again, with its recorded command line and log dir, detached
 * (it outlives the caller; `stopCluster` stops it by the pid written here). With `waitReady`
 * (the default) it resolves once the cluster lists the node as a broker again.
 */
export async function restartNode(
  descriptionFile: string,
  nodeId: number,
  options: { waitReady?: boolean; timeoutMs?: number } = {},
): Promise<KafkaNodeDescription> {
  const description = readClusterDescription(descriptionFile);
  let node = nodeOf(description, nodeId);
  if (!isNodeRunning(node)) {
    const pid = spawnNode(node, true);
    updateNodePid(descriptionFile, nodeId, pid);
    node = { ...node, pid };
  }
  if (options.waitReady ?? true) await waitForNode(node, options.timeoutMs ?? 60_000);
  return node;
}

/**
 * Stops every node of a cluster by the pids in its description (so restarted nodes too): SIGTERM,
 * SIGKILL after 10 s, then deletes the cluster's folder. A cluster already gone is not an error.
 */
export async function stopCluster(descriptionFile: string): Promise<void> {
  const root = dirname(descriptionFile);
  if (existsSync(descriptionFile)) {
    const running = readClusterDescription(descriptionFile).nodes.filter(isNodeRunning);
    for (const node of running) process.kill(node.pid, 'SIGTERM');
    await Promise.all(
      running.map(async (node) => {
        if (await waitUntilGone(node, 10_000)) return;
        process.kill(node.pid, 'SIGKILL');
        await waitUntilGone(node, 10_000);
      }),
    );
  }
  rmSync(root, { recursive: true, force: true });
}

/**
 * Ready when the node, asked directly, answers and lists itself among the brokers: a restarted
 * broker is listed only once the controller has let it back in (unfenced).
 */
async function waitForNode(node: KafkaNodeDescription, timeoutMs: number): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    brokers: [node.address],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isNodeRunning(node)) {
      throw new Error(`Kafka node ${node.nodeId} exited while starting; see ${node.outputFile}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.some((b) => b.nodeId === node.nodeId)) return;
    } catch {
      // Not up yet.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline)
      throw new Error(`Kafka node ${node.nodeId} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
