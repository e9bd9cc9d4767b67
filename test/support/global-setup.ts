import type { TestProject } from 'vitest/node';
import { startLocalRedis, type LocalRedis } from '../../src/services/local-redis.js';

/**
 * Starts the real servers the suite needs, once, on free loopback ports, and stops them after:
 * a redis-server with no persistence. Tests reach it through `inject('redisUrl')`.
 */
let redis: LocalRedis | undefined;

export async function setup(project: TestProject): Promise<void> {
  redis = await startLocalRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
