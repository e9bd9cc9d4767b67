import type { TestProject } from 'vitest/node';
import { startLocalKafka, type LocalKafka } from '../../src/services/local-kafka.js';
import { startLocalRedis, type LocalRedis } from '../../src/services/local-redis.js';

/**
 * Starts the real servers the suite needs, once, on free loopback ports, and stops them after: a
 * redis-server with no persistence and a one-node Kafka cluster (KRaft; jars from Maven Central
 * on first use). Tests reach them through `inject('redisUrl')` and `inject('kafkaBrokers')`; test
 * files that need a cluster of their own (three brokers, one to kill) start it themselves.
 */
let redis: LocalRedis | undefined;
let kafka: LocalKafka | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Both at once: the broker takes about ten seconds to start, Redis a moment.
  const [startedRedis, startedKafka] = await Promise.allSettled([
    startLocalRedis(),
    startLocalKafka({ brokers: 1 }),
  ]);
  if (startedRedis.status === 'fulfilled') redis = startedRedis.value;
  if (startedKafka.status === 'fulfilled') kafka = startedKafka.value;
  if (startedRedis.status === 'rejected' || startedKafka.status === 'rejected') {
    await teardown();
    throw startedRedis.status === 'rejected'
      ? startedRedis.reason
      : startedKafka.status === 'rejected'
        ? startedKafka.reason
        : undefined;
  }
  project.provide('redisUrl', redis!.url);
  project.provide('kafkaBrokers', kafka!.brokers);
}

export async function teardown(): Promise<void> {
  await Promise.all([redis?.stop(), kafka?.stop()]);
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    kafkaBrokers: string;
  }
}
