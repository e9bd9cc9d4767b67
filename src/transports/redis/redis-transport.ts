import type { Redis } from 'ioredis';
import { InfrastructureError } from '../../shared/errors.js';
import {
  checkRedis,
  connectRedis,
  deleteRunKeys,
  redisUrlOf,
  runKeyPrefix,
  type RedisRunContext,
} from '../../services/redis.js';
import type {
  AckMessage,
  DispatcherLink,
  RoutedDispatcherLink,
  Transport,
  WorkerLink,
  WorkMessage,
} from '../contract.js';
import {
  decodeAckPack,
  decodeWorkPack,
  encodeAck,
  encodeAckPack,
  encodeWork,
  encodeWorkPack,
} from '../wire.js';

const IN_REDIS = 'in Redis';
/**
 * A connection of the transport. Its loops issue a command or two per turn: auto-pipelining would
 * only add cost (see ConnectOptions.autoPipelining).
 */
function connectLink(context: RedisRunContext): Promise<Redis> {
  return connectRedis(redisUrlOf(context), { autoPipelining: false });
}

/**
 * Two modes.
 *
 * `lists` (default): Redis lists as the network: the dispatcher LPUSHes work onto one list, every worker pops from
 * it (so each message goes to exactly one worker, whichever is free), and acks come back on a
 * second list. Both sides move items in bulk: what the dispatcher sends in one tick goes in one
 * LPUSH, a worker pops up to its share of the window at once (BLMPOP ... COUNT) and sends the acks
 * of a pop in one LPUSH, and the dispatcher pops up to ACK_BATCH acks at once. A message a worker popped and then died with is gone, like a packet: Redis's list
 * does not redeliver, the dispatcher's retry protocol does. Keys, all under semlab:<runId>:
 *   work     list of "epoch:attempt"
 *   acks     list of "epoch:attempt:worker", or the acks of one pop as one item (a pack:
 *            "17:1:w2 18:1:w2", see wire.ts)
 *   workers  set of the worker ids that are listening
 *
 * `streams`: Redis's own at-least-once. Work is XADDed to a stream read by one consumer group;
 * each worker incarnation is a consumer (XREADGROUP). An entry stays pending until the worker
 * XACKs it; the entries of a consumer that died are claimed by the others once they have been
 * idle for `reclaimIdleMs` (XAUTOCLAIM), and handed out again. The dispatcher then never resends:
 * recovery is Redis's. Acks still come back on the `acks` list, to tell the dispatcher.
 *   stream   the work stream, fields e (epoch) and a (attempt); group "workers"
 *
 * Routed (virtual-clock runs, lists only): the dispatcher chooses the worker, so each worker
 * incarnation has a work list of its own, `work:<worker>.<incarnation>`, that only it pops. What a
 * dead incarnation never popped stays in its list, never reaching the incarnation after it. What
 * leaves for one incarnation at once is one item there, a pack ("17:1@405 18:1@405").
 */
const keys = (runId: string) => {
  const prefix = runKeyPrefix(runId);
  return {
    work: `${prefix}work`,
    acks: `${prefix}acks`,
    workers: `${prefix}workers`,
    stream: `${prefix}stream`,
    /** Virtual-clock runs: one work list per worker incarnation, `work:w2.1`. */
    workOf: (endpoint: string) => `${prefix}work:${endpoint}`,
  };
};

/** The consumer group of the streams mode. */
const GROUP = 'workers';
/** Default idle time before a silent consumer's pending entries are claimed by another. */
export const DEFAULT_RECLAIM_IDLE_MS = 500;

/** How long a blocking pop waits before it looks again whether the link was closed. */
const BLOCK_SECONDS = 1;
/** Acks taken per round trip by the dispatcher. */
const ACK_BATCH = 256;

/**
 * Work items a worker pops per round trip (BLMPOP ... COUNT): its share of the window, so that one
 * round trip brings what the dispatcher sent it since the last one, while a worker never holds
 * more than its share (the others would wait for work it has not reached yet). The items are
 * handed over one at a time as before; a worker that dies takes the rest of its pop with it, as
 * it would a message it had just popped: what the dispatcher's retries are for.
 */
export function workPopCount(context: { readonly window: number; readonly workers: number }) {
  return Math.max(1, Math.floor(context.window / Math.max(1, context.workers)));
}

export const redisTransport: Transport = {
  name: 'redis',
  summary: 'Redis lists (LPUSH / BLMPOP) through a redis-server; no redelivery by Redis',

  prepare: checkRedis,
  probe: checkRedis,

  async openDispatcher(context) {
    const commands = await connectLink(context);
    // A blocking pop holds its connection, so acks get one of their own.
    const blocking = await connectLink(context);
    const names = keys(context.runId);
    const streams = context.redisMode === 'streams';
    if (streams) await commands.xgroup('CREATE', names.stream, GROUP, '$', 'MKSTREAM');
    return {
      link: new RedisDispatcherLink(commands, blocking, names, streams),
      address: context.runId,
    };
  },

  async openRoutedDispatcher(context) {
    if (context.redisMode === 'streams')
      throw new Error('Redis streams redeliver by themselves: they run on the real clock only');
    const commands = await connectLink(context);
    const blocking = await connectLink(context);
    return {
      link: new RedisDispatcherLink(commands, blocking, keys(context.runId), false),
      address: context.runId,
    };
  },

  redeliveryHorizonMs(context) {
    if (context.redisMode !== 'streams') return undefined;
    // An entry is claimed once it has been idle this long, by a worker that polls for abandoned
    // entries between reads. Past this horizon the dispatcher asks whether Redis still holds
    // anything (holdsNothing) before it gives an epoch up.
    return 2 * (context.reclaimIdleMs ?? DEFAULT_RECLAIM_IDLE_MS) + 1000;
  },

  async openWorker(context, address, workerId, endpoint) {
    const redis = await connectLink(context);
    const names = keys(address);
    await redis.sadd(names.workers, workerId);
    const count = workPopCount(context);
    if (endpoint !== undefined)
      return new RedisWorkerLink(redis, names, names.workOf(endpoint), count);
    if (context.redisMode !== 'streams')
      return new RedisWorkerLink(redis, names, names.work, count);
    // Each incarnation is a new consumer: the dead one's pending entries are left for the others.
    const consumer = `${workerId}-${process.pid}`;
    const idle = context.reclaimIdleMs ?? DEFAULT_RECLAIM_IDLE_MS;
    return new RedisStreamWorkerLink(redis, names, consumer, idle);
  },

  cleanup: deleteRunKeys,
};

type Keys = ReturnType<typeof keys>;

class RedisDispatcherLink implements DispatcherLink, RoutedDispatcherLink {
  private closed = false;

  constructor(
    private readonly commands: Redis,
    private readonly blocking: Redis,
    private readonly names: Keys,
    private readonly streams: boolean,
  ) {}

  /** The first failed write, reported by the next call: writes are not awaited one by one. */
  private writeError: Error | undefined;
  /** Work items sent in this tick, by list: they leave in one LPUSH per list (see `push`). */
  private readonly pushes = new Map<string, string[]>();

  async send(message: WorkMessage): Promise<void> {
    if (this.writeError) throw this.writeError;
    const { epoch, attempt } = message;
    if (!this.streams) return this.push(this.names.work, encodeWork(message));
    // "Taken by the transport" means queued on the connection, as for ZeroMQ: waiting for each
    // reply would hold the dispatch loop to one round trip per message.
    this.commands
      .xadd(this.names.stream, '*', 'e', String(epoch), 'a', String(attempt))
      .catch((error: Error) => (this.writeError ??= error));
  }

  async sendTo(endpoint: string, message: WorkMessage): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.push(this.names.workOf(endpoint), encodeWork(message));
  }

  /**
   * Everything for one incarnation as one list item (a pack, see wire.ts): one value for ioredis
   * to write and for the worker to parse, however many messages it carries.
   */
  async sendAllTo(endpoint: string, messages: readonly WorkMessage[]): Promise<void> {
    if (this.writeError) throw this.writeError;
    this.push(this.names.workOf(endpoint), encodeWorkPack(messages));
  }

  /**
   * Queues an item for `list`. Everything the dispatch loop sends before it next yields to the
   * event loop (it awaits only promises that are already resolved, so a whole window's worth) goes
   * in one LPUSH with many values, on process.nextTick: in the order sent, as separate LPUSHes
   * would put them, but parsed and run by Redis once. "Taken by the transport" means queued, as
   * for ZeroMQ; a failed push is reported by the next call.
   */
  private push(list: string, item: string): void {
    const items = this.pushes.get(list);
    if (items) {
      items.push(item);
      return;
    }
    if (this.pushes.size === 0) process.nextTick(() => this.flushPushes());
    this.pushes.set(list, [item]);
  }

  private flushPushes(): void {
    for (const [list, items] of this.pushes) {
      this.commands.lpush(list, ...items).catch((error: Error) => (this.writeError ??= error));
    }
    this.pushes.clear();
  }

  /** A list takes pushes before anyone pops it: every endpoint is reachable at once. */
  async reachable(): Promise<void> {}

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
      // A worker's ack item may be a pack: the acks of one pop (ackBurst).
      for (const text of popped?.[1] ?? []) yield* decodeAckPack(text, IN_REDIS);
    }
  }

  async holdsNothing(): Promise<boolean> {
    if (!this.streams) return true;
    // XINFO GROUPS: per group, 'pending' (delivered, not XACKed) and 'lag' (not yet delivered).
    const groups = (await this.commands.xinfo('GROUPS', this.names.stream)) as (
      string | number | null
    )[][];
    return groups.every((fields) => {
      const field = (name: string): unknown => fields[fields.indexOf(name) + 1];
      return Number(field('pending')) === 0 && Number(field('lag') ?? 0) === 0;
    });
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
  /** Acks not sent yet: they leave together in one LPUSH (see `ack`). */
  private acksToSend: string[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly names: Keys,
    /** The list this worker pops: the shared one, or its own in a routed run. */
    private readonly workList: string,
    /** Items taken per pop (workPopCount). */
    private readonly popCount: number,
  ) {}

  async *deliveries(): AsyncIterable<WorkMessage> {
    for await (const burst of this.deliveryBursts()) yield* burst;
  }

  /** Each pop is one burst: the worker journals it with one write, and its acks leave together. */
  async *deliveryBursts(): AsyncIterable<readonly WorkMessage[]> {
    while (!this.closed) {
      // The acks of the last pop go first, on the same connection: Redis runs one connection's
      // commands in order, so they are in the ack list before this worker blocks for more work.
      this.sendAcks();
      let result: [string, string[]] | null;
      try {
        result = (await this.redis.blmpop(
          BLOCK_SECONDS,
          1,
          this.workList,
          'RIGHT',
          'COUNT',
          this.popCount,
        )) as [string, string[]] | null;
      } catch (error) {
        if (this.closed) return;
        throw new InfrastructureError(
          `lost Redis while waiting for work: ${(error as Error).message}`,
        );
      }
      const popped = result?.[1] ?? [];
      // Routed, an item may be a pack of messages (sendAllTo).
      if (popped.length > 0) yield popped.flatMap((text) => decodeWorkPack(text, IN_REDIS));
    }
  }

  async ack(ack: AckMessage): Promise<void> {
    // The worker journalled its reply before this call, so the ack may leave at any moment from
    // now on. It leaves with the acks of the same pop that follow it within this tick, in one
    // LPUSH: on process.nextTick, or at the latest before the next pop. Not awaited: a lost
    // connection shows up as the next pop's failure.
    if (this.acksToSend.length === 0) process.nextTick(() => this.sendAcks());
    this.acksToSend.push(encodeAck(ack));
  }

  /** A pop's acks, after the worker journalled its burst: one item (a pack), in one LPUSH, now. */
  async ackBurst(acks: readonly AckMessage[]): Promise<void> {
    this.acksToSend.push(encodeAckPack(acks));
    this.sendAcks();
  }

  private sendAcks(): void {
    if (this.acksToSend.length === 0) return;
    const acks = this.acksToSend;
    this.acksToSend = [];
    void this.redis.lpush(this.names.acks, ...acks).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sendAcks();
    this.redis.disconnect();
  }
}

/** One stream entry as ioredis returns it: [id, [field, value, field, value, ...]]. */
type StreamEntry = [string, string[]];

class RedisStreamWorkerLink implements WorkerLink {
  private closed = false;
  /** The entry being worked on, until it is acknowledged (XACK) or released. */
  private current: string | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly names: Keys,
    private readonly consumer: string,
    private readonly reclaimIdleMs: number,
  ) {}

  async *deliveries(): AsyncIterable<WorkMessage> {
    while (!this.closed) {
      let entry: StreamEntry | undefined;
      try {
        entry = (await this.claimAbandoned()) ?? (await this.readNew());
      } catch (error) {
        if (this.closed) return;
        throw new InfrastructureError(
          `lost Redis while waiting for work: ${(error as Error).message}`,
        );
      }
      if (!entry) continue;
      this.current = entry[0];
      yield decodeEntry(entry);
    }
  }

  /** An entry some consumer took and has been silent about for reclaimIdleMs: it died, or is very slow. */
  private async claimAbandoned(): Promise<StreamEntry | undefined> {
    const [, entries] = (await this.redis.xautoclaim(
      this.names.stream,
      GROUP,
      this.consumer,
      this.reclaimIdleMs,
      '0-0',
      'COUNT',
      1,
    )) as [string, (StreamEntry | null)[]];
    return entries.find((entry): entry is StreamEntry => entry !== null);
  }

  private async readNew(): Promise<StreamEntry | undefined> {
    const result = (await this.redis.xreadgroup(
      'GROUP',
      GROUP,
      this.consumer,
      'COUNT',
      1,
      // Short blocks, so abandoned entries are looked for again soon.
      'BLOCK',
      Math.max(50, Math.min(1000, Math.floor(this.reclaimIdleMs / 2))),
      'STREAMS',
      this.names.stream,
      '>',
    )) as [string, StreamEntry[]][] | null;
    return result?.[0]?.[1][0];
  }

  async release(): Promise<void> {
    if (this.current === undefined) return;
    await this.redis.xack(this.names.stream, GROUP, this.current);
    this.current = undefined;
  }

  async ack(ack: AckMessage): Promise<void> {
    await this.release();
    await this.redis.lpush(this.names.acks, encodeAck(ack));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.redis.disconnect();
  }
}

function decodeEntry([id, fields]: StreamEntry): WorkMessage {
  const value = (name: string): number => Number(fields[fields.indexOf(name) + 1]);
  const epoch = value('e');
  const attempt = value('a');
  if (!epoch || !attempt) throw new InfrastructureError(`malformed stream entry ${id} in Redis`);
  return { epoch, attempt };
}
