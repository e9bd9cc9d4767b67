import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
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
  readonly pids: number[];
  /** Stops every node and deletes the cluster's log folders. */
  stop(): Promise<void>;
}

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
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const node of nodes) {
      const properties = join(root, `node-${node.id}.properties`);
      writeFileSync(properties, nodeProperties(node, voters, count));
      // Static voters: every node is formatted with the same cluster id, without --standalone.
      const format = spawnSync(
        'java',
        [...javaOptions, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties],
        {
          encoding: 'utf8',
        },
      );
      if (format.status !== 0)
        throw new Error(`formatting Kafka storage failed: ${format.stderr.trim().slice(-400)}`);
    }
    for (const node of nodes) {
      const child = spawn(
        'java',
        [...javaOptions, 'kafka.Kafka', join(root, `node-${node.id}.properties`)],
        {
          stdio: 'ignore',
          detached: options.detached ?? false,
        },
      );
      if (options.detached) child.unref();
      children.push(child);
    }
    const brokers = nodes.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
    await waitForCluster(brokers, count, 120_000);
    return { brokers, pids: children.map((c) => c.pid ?? -1), stop };
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
    '',
  ].join('\n');
}

/** Ready when an admin client sees every broker (readiness, not a sleep). */
async function waitForCluster(brokers: string, count: number, timeoutMs: number): Promise<void> {
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
    if (Date.now() > deadline)
      throw new Error(`Kafka on ${brokers} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
