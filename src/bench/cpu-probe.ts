/**
 * Preloaded (`node --import`) into every process of a measurement, semlab's and the raw loops':
 * at exit it appends the process's CPU time (user + system, start-up included) and its entry
 * script to the file named by $SEMLAB_BENCH_CPU_LOG, so the bench can split a run's CPU between
 * the dispatching process and the workers (./cpu-log.ts). It changes nothing else, except that a
 * raw loop process ($SEMLAB_BENCH_CPU_ON_SIGTERM, which the bench stops with SIGTERM) exits
 * normally on that signal, so that its exit is recorded too. semlab's processes record only
when they exit normally (the end-of-run stop), which is how every process of a clean run ends.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';

const file = process.env.SEMLAB_BENCH_CPU_LOG;
if (file) {
  process.once('exit', () => {
    const { user, system } = process.cpuUsage();
    const script = basename(process.argv[1] ?? '');
    appendFileSync(file, JSON.stringify({ script, cpuUs: user + system }) + '\n');
  });
  if (process.env.SEMLAB_BENCH_CPU_ON_SIGTERM) {
    // Only where SIGTERM would otherwise kill outright: a process with a handler of its own (the
    // raw Kafka clients leave their group first) exits through that handler.
    process.once('SIGTERM', () => {
      if (process.listenerCount('SIGTERM') === 0) process.exit(0);
    });
  }
}
