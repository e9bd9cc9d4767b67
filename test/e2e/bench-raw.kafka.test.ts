import { describe, expect, inject, it } from 'vitest';
import { measureRawKafka } from '../../src/bench/raw-kafka.js';
import { namesWithPrefix, RAW_KAFKA_PREFIX, rawKafka } from '../../src/bench/raw-kafka-client.js';

/**
 * The bench's raw Kafka baseline (`npm run bench -- --transports kafka`) is only a fair yardstick if
 * it does the whole job: every record produced, consumed by the group and acked back exactly once.
 * Counts only, never timing: how fast it ran is the bench's business, not a pass/fail criterion.
 * It forks the compiled dist/bench entry points, which `npm test` builds first.
 */
describe('the raw kafkajs loop of the bench', () => {
  it(
    'acks every message once through a consumer group and leaves no topic or group behind',
    { timeout: 120_000 },
    async () => {
      const brokers = inject('kafkaBrokers');
      const result = await measureRawKafka({ workers: 2, messages: 500, window: 16 }, brokers);
      expect(result).toMatchObject({ acked: 500, duplicateAcks: 0 });

      const admin = rawKafka(brokers, 'bench-raw-test').admin();
      await admin.connect();
      try {
        expect(await namesWithPrefix(admin, RAW_KAFKA_PREFIX)).toEqual([]);
      } finally {
        await admin.disconnect();
      }
    },
  );
});
