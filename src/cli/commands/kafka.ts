import { Command } from '@commander-js/extra-typings';
import { KAFKA_DEFAULTS } from '../../core/defaults.js';
import { localized, messages } from '../../i18n/catalog.js';
import { renderClusterView, renderReplicaStrip } from '../../report/render-replicas.js';
import { wrap } from '../../report/render-scenario.js';
import { replicaPhasesOfRun } from '../../report/replica-history.js';
import { findRun, traceableRun } from '../../report/run-history.js';
import { UsageError } from '../../shared/errors.js';
import { colourFor } from '../terminal.js';

const HELP = `
Shows each partition of a run's topics (a run in progress: run it in another terminal), or of
every semlab topic when no run is named, with the broker that leads it, the brokers that hold a
replica, and the in-sync replicas (ISR). A partition with fewer replicas in sync than it has is
marked *: a follower fell behind, or its broker is down.

Brokers: --kafka-brokers, else the run's own, else KAFKA_BROKERS, else ${KAFKA_DEFAULTS.brokers}.
A run's topics are deleted when it ends: for a finished run that crashed a broker
(--crash-broker), its journalled leaders and in-sync replicas (before / during / after) are shown.

Examples:
  $ semlab kafka describe
  $ semlab kafka describe --kafka-brokers 127.0.0.1:39092,127.0.0.1:39094
  $ semlab kafka describe 20261206-073909 --json
`;

/** `semlab kafka ...`: what Kafka itself holds. One subcommand today: describe. */
export function kafkaCommand() {
  const describe = new Command('describe')
    .description("each partition's leader, replicas and in-sync replicas (ISR)")
    .argument('[run]', 'run id, prefix or folder (default: every semlab topic)')
    .option('--kafka-brokers <list>', 'host:port,... of the Kafka cluster')
    .option('--json', 'print the brokers and partitions as JSON')
    .addHelpText('after', HELP)
    .exitOverride()
    .action(async (target, options) => {
      const run = target === undefined ? undefined : traceableRun(findRun(target));
      if (run && !run.plan.kafka) {
        throw new UsageError(
          localized('notKafkaRun', { runId: run.runId, transport: run.plan.transport }),
        );
      }
      const brokers =
        options.kafkaBrokers ??
        run?.plan.kafka?.brokers ??
        (process.env.KAFKA_BROKERS?.trim() || KAFKA_DEFAULTS.brokers);
      if (!/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/.test(brokers)) {
        throw new UsageError(localized('kafkaBrokersFormat', { text: brokers }));
      }
      // kafkajs comes with the command, not with every semlab start.
      const { KafkaCluster, kafkaNames } = await import('../../transports/kafka/kafka-client.js');
      const cluster = new KafkaCluster(brokers, 'semlab-describe', { failFast: true });
      try {
        await cluster.check(8_000);
        const names = run ? kafkaNames(run.runId) : undefined;
        const view = await cluster.replicas(
          names ? { topics: [names.work, names.acks, names.results] } : { prefix: 'semlab.' },
        );
        const phases = run ? replicaPhasesOfRun(run.runDir) : undefined;
        if (options.json) {
          process.stdout.write(
            JSON.stringify({
              bootstrap: brokers,
              runId: run?.runId ?? null,
              ...view,
              crash: phases ?? null,
            }) + '\n',
          );
          return;
        }
        const colour = colourFor(process.stdout);
        const w = messages().replicas;
        const parts = [renderClusterView(view, colour)];
        if (view.partitions.length === 0) {
          const none = run ? w.noRunTopics({ runId: run.runId }) : w.noTopics;
          parts.push(colour.dim(wrap(none, 80).join('\n')));
        }
        if (run && phases) parts.push(renderReplicaStrip(phases, run.runId, colour));
        process.stdout.write(parts.join('\n\n') + '\n');
      } finally {
        await cluster.close();
      }
    });
  return new Command('kafka')
    .description('what the Kafka cluster holds: partitions, leaders, in-sync replicas')
    .addCommand(describe)
    .exitOverride();
}
