/**
 * The raw Redis producer: `node raw-redis-producer-main.js <url> <key prefix> [journal dir]`. With
 * a journal folder it also writes a semlab dispatcher's send and ack lines (./raw-journal.ts). It keeps `window`
 * messages in flight by LPUSHing "n:1" onto the work list and counts the acks it pops from the ack
 * list, the same lists, payloads and ack batching as semlab's Redis dispatcher, minus everything
 * semlab adds (journal, fault layer, in-flight bookkeeping, retries).
 *
 * Why this shape is the best ioredis can do for the pattern: every item the window has room for
 * leaves at once in one multi-value LPUSH, not awaited (the window, not Redis's reply, bounds the
 * sender); acks come back ACK_BATCH at a time in one blocking BLMPOP on a connection of their own
 * (a blocking pop holds its connection), which also wakes the sender the moment room appears.
 */
import type { Redis } from 'ioredis';
import { decodeAck } from '../transports/wire.js';
import { failToBench, followBench, nextGo, tellBench, type RawLoadSettings } from './protocol.js';
import { RawSenderJournal } from './raw-journal.js';
import { ACK_BATCH, BLOCK_SECONDS, connectRaw, rawRedisKeys } from './raw-redis-keys.js';

async function main(): Promise<void> {
  const [url, prefix, journalDir] = process.argv.slice(2);
  if (!url || !prefix)
    throw new Error('usage: raw-redis-producer-main <url> <key prefix> [journal dir]');
  followBench();
  const commands = await connectRaw(url);
  // A blocking pop holds its connection until it returns, so the acks get one of their own.
  const blocking = await connectRaw(url);
  await tellBench({ type: 'ready' });

  const go = await nextGo();
  const journal = journalDir ? new RawSenderJournal(journalDir) : undefined;
  const durationMs = await roundTrips(commands, blocking, rawRedisKeys(prefix), go, journal);
  journal?.close();
  await tellBench({ type: 'done', durationMs, maxRssKb: process.resourceUsage().maxRSS });
  commands.disconnect();
  blocking.disconnect();
  process.exit(0);
}

/**
 * Pushes `messages` work items with at most `window` unacked, and returns the milliseconds from the
 * first push to the last ack. As in the raw ZeroMQ dealer, sending and acking are two independent
 * loops. A push is not awaited before the next one: its reply only says that Redis has the item,
 * which nothing here waits for (the window is what bounds the sender, as a ZeroMQ send resolves
 * once the message is queued, not answered). A failed push still fails the measurement.
 */
async function roundTrips(
  commands: Redis,
  blocking: Redis,
  keys: ReturnType<typeof rawRedisKeys>,
  load: RawLoadSettings,
  journal: RawSenderJournal | undefined,
): Promise<number> {
  let acked = 0;
  let wakeSender: (() => void) | undefined;
  let failPush: (error: unknown) => void = () => undefined;
  const pushFailed = new Promise<never>((_, reject) => (failPush = reject));

  const ackAll = async (): Promise<void> => {
    while (acked < load.messages) {
      const popped = (await blocking.blmpop(
        BLOCK_SECONDS,
        1,
        keys.acks,
        'RIGHT',
        'COUNT',
        ACK_BATCH,
      )) as [string, string[]] | null;
      if (!popped) continue;
      if (journal) for (const item of popped[1]) journal.acked(...ackOf(item));
      acked += popped[1].length;
      const wake = wakeSender;
      wakeSender = undefined;
      wake?.();
    }
  };
  // Everything the window allows goes in one LPUSH with many values: one command for Redis to
  // parse and run, in the same order as one LPUSH per item (semlab's dispatcher pushes the items
  // of one tick the same way).
  const sendAll = async (): Promise<void> => {
    for (let sent = 0; sent < load.messages;) {
      const room = Math.min(load.window - (sent - acked), load.messages - sent);
      if (room <= 0) {
        await new Promise<void>((resolve) => (wakeSender = resolve));
        continue;
      }
      const items: string[] = [];
      for (let i = 0; i < room; i++) {
        items.push(`${++sent}:1`);
        journal?.sent(sent);
      }
      journal?.beforeLeaving();
      commands.lpush(keys.work, ...items).catch(failPush);
    }
  };

  const startedAt = performance.now();
  // The race rejects as soon as either loop or any push fails, so nothing strands the other loop.
  await Promise.race([Promise.all([sendAll(), ackAll()]), pushFailed]);
  return performance.now() - startedAt;
}

/** An ack item, "17:1:w2", as the journal's fields. */
function ackOf(item: string): [number, number, string] {
  const { epoch, attempt, worker } = decodeAck(item, 'in Redis');
  return [epoch, attempt, worker];
}

main().catch((error: unknown) => failToBench('raw redis producer', error));
