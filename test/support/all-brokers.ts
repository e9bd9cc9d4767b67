import { Kafka, logLevel } from 'kafkajs';

/**
 * Readiness of a fresh multi-node cluster: until each broker, asked alone, lists all `count`
 * brokers. startLocalKafka returns once one broker does; a newly registered broker stays fenced
 * (left out of the others' metadata) a moment longer, and a client that asks that broker first
 * would see two brokers of three.
 */
export async function untilEveryBrokerSees(
  brokers: string,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const broker of brokers.split(',')) {
    for (;;) {
      const admin = new Kafka({
        brokers: [broker],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      const seen = await admin
        .connect()
        .then(() => admin.describeCluster())
        .then((c) => c.brokers.length)
        .catch(() => 0)
        .finally(() => admin.disconnect().catch(() => undefined));
      if (seen >= count) break;
      if (Date.now() > deadline) throw new Error(`${broker} did not see ${count} brokers`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
