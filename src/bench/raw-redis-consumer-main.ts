/**
 * A raw Redis consumer: `node raw-redis-consumer-main.js <url> <key prefix> <worker id>`. It BRPOPs
 * work and LPUSHes "n:1:<worker id>" onto the ack list for each item, with no journal, no ledger
 * and no decoding: the floor of what a semlab worker on the Redis transport costs.
 */
import { failToBench, followBench, tellBench } from './protocol.js';
import { BLOCK_SECONDS, connectRaw, rawRedisKeys } from './raw-redis-keys.js';

async function main(): Promise<void> {
  const [url, prefix, workerId] = process.argv.slice(2);
  if (!url || !prefix || !workerId) {
    throw new Error('usage: raw-redis-consumer-main <url> <key prefix> <worker id>');
  }
  followBench();
  const keys = rawRedisKeys(prefix);
  const redis = await connectRaw(url);
  await tellBench({ type: 'ready' });
  // Runs until the bench stops this process. Items pushed before the first BRPOP simply wait in
  // the list, so a consumer that starts a moment late costs the measurement nothing but that moment.
  for (;;) {
    const popped = await redis.brpop(keys.work, BLOCK_SECONDS);
    if (!popped) continue;
    // Not awaited: the next BRPOP follows on the same connection, and Redis runs one connection's
    // commands in order, so the ack is in the list before this consumer can take more work. Waiting
    // for its reply first would only add a round trip per message.
    redis
      .lpush(keys.acks, `${popped[1]}:${workerId}`)
      .catch((error: unknown) => failToBench('raw redis consumer', error));
  }
}

main().catch((error: unknown) => failToBench('raw redis consumer', error));
