import { Option, type Command } from '@commander-js/extra-typings';
import { KAFKA_DEFAULTS, RUN_DEFAULTS } from '../core/defaults.js';
import { STORE_NAMES } from '../stores/registry.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import type { RunFlags } from './run-options.js';

/** The flags shared by `run` and `compare`, plus the output flags. */
export type RunCommandFlags = RunFlags & { json?: boolean; events?: string; html?: string };

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Adds the run flags to a command. None has a commander default: a flag that was not given stays
 * undefined, so it cannot override a scenario's field; the defaults are applied in one place
 * (src/core/defaults.ts) and shown here in the help.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command, whatever its arguments
export function addRunFlags<C extends Command<any, any, any>>(command: C): C {
  const d = RUN_DEFAULTS;
  const options = [
    new Option(
      '-t, --transport <name>',
      `transport: ${TRANSPORT_NAMES.join(', ')} (default ${d.transport})`,
    ),
    new Option('-w, --workers <n>', `worker processes (default ${d.workers})`),
    new Option('-m, --messages <m>', `messages, epochs 1..M (default ${d.messages})`),
    new Option(
      '--seed <s>',
      'seed for every fault decision (default: random, shown in the report)',
    ),
    new Option(
      '--timeout <ms>',
      `ack timeout before a retry, or before at-most-once gives up (default ${d.timeoutMs})`,
    ),
    new Option('--window <n>', `most messages in flight at once (default ${d.window})`),
    new Option('--store <name>', `dedupe store: ${STORE_NAMES.join(', ')} (default ${d.store})`),
    new Option('--dedupe-ttl <ms>', 'how long a dedupe mark lasts (default: the whole run)'),
    new Option(
      '--restart-delay <ms>',
      `delay before a dead worker is restarted (default ${d.restartDelayMs})`,
    ),
    new Option('--drop-work <p>', 'drop a fraction p (0..1) of work messages'),
    new Option('--drop-ack <p>', 'drop a fraction p (0..1) of acks'),
    new Option(
      '--delay-work <ms[@p]>',
      'hold back a fraction p (default all) of work messages by ms',
    ),
    new Option('--delay-ack <ms[@p]>', 'hold back a fraction p (default all) of acks by ms'),
    new Option(
      '--crash <point@k>',
      'the worker handling every k-th epoch dies at point (repeatable)',
    ).argParser(collect),
    new Option('--dup-work <p>', 'the network delivers a fraction p (0..1) of work messages twice'),
    new Option('--dup-ack <p>', 'the network delivers a fraction p (0..1) of acks twice'),
    new Option(
      '--reorder <p[:ms]>',
      'a fraction p of messages held back ms (default 5) while later ones overtake them',
    ),
    new Option(
      '--partition <wN[:dir]@t:ms>',
      'cut worker N off (both ways, or work/ack only) from t ms for ms, then heal (repeatable)',
    ).argParser(collect),
    new Option(
      '--pause <point@k:ms>',
      'the worker handling every k-th epoch is frozen (SIGSTOP) at point for ms, then thawed (repeatable)',
    ).argParser(collect),
    new Option(
      '--work-ms <ms[±j]>',
      'each delivery takes ms to handle, give or take j (virtual ms on the virtual clock)',
    ),
    new Option(
      '--redis-url <url>',
      'Redis for --transport redis or --store redis (default $REDIS_URL, else redis://127.0.0.1:6379)',
    ),
    new Option(
      '--redis-mode <mode>',
      'with --transport redis: lists (default) or streams (redelivers)',
    ),
    new Option(
      '--reclaim-idle <ms>',
      "redis streams: idle ms before a dead consumer's entries are claimed (500)",
    ),
    new Option(
      '--kafka-brokers <list>',
      'Kafka for --transport kafka: host:port,... (default $KAFKA_BROKERS, else 127.0.0.1:9092)',
    ),
    new Option(
      '--kafka-mode <mode>',
      "kafka: dispatcher (default: the dispatcher's retries) or native (Kafka's offsets)",
    ),
    new Option('--partitions <n>', 'kafka: partitions of the work topic (default: one per worker)'),
    new Option('--kafka-acks <acks>', 'kafka: acks for work writes: all (default), 1 or 0'),
    new Option(
      '--kafka-session-timeout <ms>',
      `kafka: how long a dead worker keeps its partitions (default ${KAFKA_DEFAULTS.sessionTimeoutMs})`,
    ),
    new Option(
      '--crash-broker <leader@k[:ms]>',
      `kafka, 3 brokers: kill the work partition's leader after k acks, restart it after ms (default ${KAFKA_DEFAULTS.brokerRestartMs})`,
    ),
    new Option(
      '--clock <kind>',
      'virtual (default where the dispatcher routes: zmq, redis lists, kafka dispatcher mode): the same seed gives the same table on any machine; real: wall time, load included',
    ),
    new Option(
      '--keep',
      "leave the run's keys (or topics) in the service afterwards, for inspection",
    ),
    new Option(
      '--no-live',
      'no live view: plain progress lines on stderr, no escape codes, no keys',
    ),
    new Option('--json', 'print JSON on stdout, nothing else'),
    new Option('--events <file>', 'write the merged journal of the run to file, as JSON lines'),
    new Option('--html <file>', 'write an HTML report of the run(s) to file (see semlab report)'),
    new Option(
      '--worker-cmd <command>',
      "your own worker program in place of the preset's steps (docs/worker-protocol.md)",
    ),
  ];
  for (const option of options) command.addOption(option as Option);
  return command;
}
