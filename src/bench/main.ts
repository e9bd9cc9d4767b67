/**
 * `npm run bench`: how much semlab's machinery (journals, fault layer, retries, supervisor) costs
 * on top of the bare pattern each transport is built on (a ZeroMQ DEALER→REP loop, a Redis
 * LPUSH/BLMPOP list loop), and (--memory) that the dispatcher's memory does not grow with the length
 * of a run. Progress goes to stderr, the result to stdout.
 */
import { stopAll } from './children.js';
import { benchMemory } from './memory-bench.js';
import { BenchUsageError, parseBenchOptions, USAGE } from './options.js';
import { renderMemory, renderThroughput } from './render.js';
import { benchThroughput } from './throughput-bench.js';

let interrupted: NodeJS.Signals | undefined;

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  // Ctrl-C or SIGTERM: stop the children we started; the pending measurement then fails and the
  // normal error path below reports it, after each measurement has removed its temporary files,
  // its Redis keys, and the redis-server the bench started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      interrupted = signal;
      void stopAll();
    });
  }
  const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  if (options.mode === 'memory') {
    const report = await benchMemory(options, log);
    process.stdout.write((options.json ? JSON.stringify(report) : renderMemory(report)) + '\n');
  } else {
    const report = await benchThroughput(options, log);
    process.stdout.write((options.json ? JSON.stringify(report) : renderThroughput(report)) + '\n');
  }
}

main().catch(async (error: unknown) => {
  await stopAll();
  if (error instanceof BenchUsageError) {
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench: ${interrupted ? `interrupted by ${interrupted}` : message}\n`);
  process.exit(interrupted ? 130 : 1);
});
