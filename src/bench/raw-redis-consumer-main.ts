/**
 * A raw Redis consumer: `node raw-redis-consumer-main.js <url> <key prefix> <worker id> <count>
 * [journal dir]`. With a journal folder it also writes a semlab worker's lines for each pop
 * (./raw-journal.ts): the bench's "raw loop, journalled" figure.
 * It pops up to `count` work items per round trip (BLMPOP ... COUNT) and LPUSHes their acks
 * "n:1:<worker id>" onto the ack list in one command, with no journal, no ledger and no decoding:
 * the floor of what a semlab worker on the Redis transport costs.
 *
 * Why this shape is the best ioredis can do for the pattern (one list of work shared by N
 * consumers, acks on a second list, at most `window` items out):
 * - a blocking pop is the only way to wait for work without polling, and BLMPOP with a count takes
 *   everything up to `count` in that one round trip (one BRPOP per item would pay a round trip
 *   and a wake-up per item). `count` is the consumer's share of the window (window / workers), as
 *   semlab's workers take (workPopCount in src/transports/redis/redis-transport.ts): more would
 *   only let one consumer hoard items the others could be working on;
 * - the acks of a pop go in one LPUSH with many values: one command for Redis to parse and run,
 *   in the same order as separate pushes;
 * - that LPUSH is not awaited: the next BLMPOP follows on the same connection, and Redis runs one
 *   connection's commands in order, so the acks are in the list before this consumer can take
 *   more work; waiting for its reply would add a round trip per pop;
 * - no auto-pipelining (connectRaw): it would write the two commands in one packet, but waiting for
 *   the end of each tick and a pipeline object per tick cost more (about a third of the rate).
 */
import { decodeWork } from '../transports/wire.js';
import { failToBench, followBench, tellBench } from './protocol.js';
import { RawWorkerJournal } from './raw-journal.js';
import { BLOCK_SECONDS, connectRaw, rawRedisKeys } from './raw-redis-keys.js';

async function main(): Promise<void> {
  const [url, prefix, workerId, countText, journalDir] = process.argv.slice(2);
  const count = Number(countText);
  if (!url || !prefix || !workerId || !(Number.isInteger(count) && count >= 1)) {
    throw new Error(
      'usage: raw-redis-consumer-main <url> <key prefix> <worker id> <count> [journal dir]',
    );
  }
  followBench();
  const keys = rawRedisKeys(prefix);
  const redis = await connectRaw(url);
  const journal = journalDir ? new RawWorkerJournal(journalDir, workerId) : undefined;
  await tellBench({ type: 'ready' });
  // Runs until the bench stops this process. Items pushed before the first pop simply wait in the
  // list, so a consumer that starts a moment late costs the measurement nothing but that moment.
  for (;;) {
    const popped = (await redis.blmpop(BLOCK_SECONDS, 1, keys.work, 'RIGHT', 'COUNT', count)) as
      [string, string[]] | null;
    if (!popped) continue;
    // Journalled: the lines of the pop are on file before its acks leave, as in a semlab worker.
    journal?.burst(popped[1].map((item) => decodeWork(item, 'in Redis')));
    redis
      .lpush(keys.acks, ...popped[1].map((item) => `${item}:${workerId}`))
      .catch((error: unknown) => failToBench('raw redis consumer', error));
  }
}

main().catch((error: unknown) => failToBench('raw redis consumer', error));
