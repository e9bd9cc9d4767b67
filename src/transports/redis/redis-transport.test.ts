import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AckMessage, TransportContext, WorkMessage } from '../contract.js';
import { redisTransport, workPopCount } from './redis-transport.js';

/**
 * The lists mode moves items in bulk (a tick's work in one LPUSH, a worker's share of the window
 * per BLMPOP, a pop's acks in one LPUSH). Against the suite's real redis-server: bulk must not
 * reorder, drop or hoard anything.
 */
describe('the Redis lists transport in bulk', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(() => redis.disconnect());

  it('takes a worker’s share of the window per pop', () => {
    expect(workPopCount({ window: 64, workers: 4 })).toBe(16);
    expect(workPopCount({ window: 10, workers: 4 })).toBe(2);
    expect(workPopCount({ window: 3, workers: 4 })).toBe(1);
  });

  it('hands work over in the order sent, at most a share per pop, and brings every ack back in order', async () => {
    const runId = `t-${randomBytes(4).toString('hex')}`;
    // A share of 3 items per pop.
    const context: TransportContext = {
      runId,
      workers: 2,
      window: 6,
      redisUrl: inject('redisUrl'),
    };
    const { link: dispatcher, address } = await redisTransport.openDispatcher(context);
    const worker = await redisTransport.openWorker(context, address, 'w1');
    try {
      const sent: WorkMessage[] = Array.from({ length: 7 }, (_, i) => ({
        epoch: i + 1,
        attempt: 1,
      }));
      for (const message of sent) await dispatcher.send(message);
      // The sends of one tick leave together: wait until all seven are in the list.
      const work = `semlab:${runId}:work`;
      await expect.poll(() => redis.llen(work)).toBe(7);

      const received: WorkMessage[] = [];
      const deliveries = worker.deliveries()[Symbol.asyncIterator]();
      for (let i = 0; i < sent.length; i++) {
        const next = await deliveries.next();
        received.push(next.value as WorkMessage);
        // After the first pop, the list lost exactly one share (3) and not more.
        if (i === 0) expect(await redis.llen(work)).toBe(4);
        await worker.ack({ epoch: next.value.epoch, attempt: next.value.attempt, worker: 'w1' });
      }
      expect(received).toEqual(sent);

      const acks: AckMessage[] = [];
      for await (const ack of dispatcher.acks()) {
        acks.push(ack);
        if (acks.length === sent.length) break;
      }
      expect(acks).toEqual(sent.map((m) => ({ ...m, worker: 'w1' })));
    } finally {
      await worker.close();
      await dispatcher.close();
      await redisTransport.cleanup?.(context);
    }
  });
});
