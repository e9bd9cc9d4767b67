import type { Redis } from 'ioredis';
import { InfrastructureError } from '../../shared/errors.js';
import {
  connectRedis,
  defaultRedisUrl,
  deleteKeysWithPrefix,
  runKeyPrefix,
} from '../../services/redis.js';
import type {
  AckMessage,
  DispatcherLink,
  Transport,
  TransportContext,
  WorkerLink,
  WorkMessage,
} from '../contract.js';

/**
 * Redis lists as the network: the dispatcher LPUSHes work onto one list, every worker BRPOPs from
 * it (so each message goes to exactly one worker, whichever is free), and acks come back on a
 * second list. A message a worker popped and then died with is gone, like a packet: Redis's list
 * does not redeliver, the dispatcher's retry protocol does. Keys, all under semlab:<runId>:
 *   work     list of "epoch:attempt"
 *   acks     list of "epoch:attempt:worker"
 *   workers  set of the worker ids that are listening
 */
const keys = (runId: string) => {
  const prefix = runKeyPrefix(runId);
  return { work: `${prefix}work`, acks: `${prefix}acks`, workers: `${prefix}workers` };
};

/** How long a blocking pop waits before it looks again whether the link was closed. */
const BLOCK_SECONDS = 1;
/** Acks taken per round trip by the dispatcher. */
const ACK_BATCH = 256;

function urlOf(context: TransportContext): string {
  return context.redisUrl ?? defaultRedisUrl();
}

export const redisTransport: Transport = {
  name: 'redis',
  summary: 'Redis lists (LPUSH / BRPOP) through a redis-server; no redelivery by Redis',

  async prepare(context) {
    const redis = await connectRedis(urlOf(context));
    redis.disconnect();
  },

  async openDispatcher(context) {
    const commands = await connectRedis(urlOf(context));
    // A blocking pop holds its connection, so acks get one of their own.
    const blocking = await connectRedis(urlOf(context));
    return {
      link: new RedisDispatcherLink(commands, blocking, keys(context.runId)),
      address: context.runId,
    };
  },

  async openWorker(context, address, workerId) {
    const redis = await connectRedis(urlOf(context));
    const names = keys(address);
    await redis.sadd(names.workers, workerId);
    return new RedisWorkerLink(redis, names);
  },

  async cleanup(context) {
    if (context.keep) return;
    const redis = await connectRedis(urlOf(context));
    try {
      await deleteKeysWithPrefix(redis, runKeyPrefix(context.runId));
    } finally {
      redis.disconnect();
    }
  },
};

type Keys = ReturnType<typeof keys>;

class RedisDispatcherLink implements DispatcherLink {
  private closed = false;

  constructor(
    private readonly commands: Redis,
    private readonly blocking: Redis,
    private readonly names: Keys,
  ) {}

  async send(message: WorkMessage): Promise<void> {
    await this.commands.lpush(this.names.work, `${message.epoch}:${message.attempt}`);
  }

  async *acks(): AsyncIterable<AckMessage> {
    while (!this.closed) {
      let popped: [string, string[]] | null;
      try {
        popped = (await this.blocking.blmpop(
          BLOCK_SECONDS,
          1,
          this.names.acks,
          'RIGHT',
          'COUNT',
          ACK_BATCH,
        )) as [string, string[]] | null;
      } catch (error) {
        if (this.closed) return;
        throw new InfrastructureError(`lost Redis while reading acks: ${(error as Error).message}`);
      }
      for (const text of popped?.[1] ?? []) yield decodeAck(text);
    }
  }

  async waitForWorkers(count: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const listening = await this.commands.scard(this.names.workers);
      if (listening >= count || Date.now() >= deadline) return listening;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.blocking.disconnect();
    this.commands.disconnect();
  }
}

class RedisWorkerLink implements WorkerLink {
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly names: Keys,
  ) {}

  async *deliveries(): AsyncIterable<WorkMessage> {
    while (!this.closed) {
      let popped: [string, string] | null;
      try {
        popped = await this.redis.brpop(this.names.work, BLOCK_SECONDS);
      } catch (error) {
        if (this.closed) return;
        throw new InfrastructureError(
          `lost Redis while waiting for work: ${(error as Error).message}`,
        );
      }
      if (popped) yield decodeWork(popped[1]);
    }
  }

  async ack(ack: AckMessage): Promise<void> {
    await this.redis.lpush(this.names.acks, `${ack.epoch}:${ack.attempt}:${ack.worker}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.redis.disconnect();
  }
}

function decodeWork(text: string): WorkMessage {
  const [epoch, attempt] = text.split(':').map(Number);
  if (!epoch || !attempt) throw new InfrastructureError(`malformed work item '${text}' in Redis`);
  return { epoch, attempt };
}

function decodeAck(text: string): AckMessage {
  const [epoch, attempt, worker] = text.split(':');
  if (!epoch || !attempt || !worker)
    throw new InfrastructureError(`malformed ack '${text}' in Redis`);
  return { epoch: Number(epoch), attempt: Number(attempt), worker };
}
