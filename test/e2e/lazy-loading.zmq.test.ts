import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSemlabHome, runSemlab } from '../support/semlab.js';

/**
 * Start-up cost: each process loads only what its run uses. A zmq run with the sqlite store must
 * not load the Kafka or Redis clients in any of its processes, and the CLI must not load the YAML
 * parser or the scenario schema for a semantics preset. Every module each process resolves is
 * logged by a preloaded hook (test/support/module-log.mjs), so this checks the real processes.
 */
describe('lazy loading', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  /** The packages (node_modules/<name>) and semlab's own entry files each process resolved. */
  async function loadedByProcess(args: string[]): Promise<Map<string, Set<string>>> {
    const log = join(home, 'modules.log');
    rmSync(log, { force: true });
    const hook = resolve(import.meta.dirname, '../support/module-log.mjs');
    const result = await runSemlab(args, home, {
      NODE_OPTIONS: `--import ${hook}`,
      SEMLAB_TEST_MODULE_LOG: log,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const byPid = new Map<string, Set<string>>();
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const [pid = '', url = ''] = line.split('\t');
      const what =
        /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ??
        /\/(bin\/semlab|dispatcher-entry\.js|worker-entry\.js)$/.exec(url)?.[1];
      if (!what) continue;
      const seen = byPid.get(pid) ?? new Set<string>();
      seen.add(what);
      byPid.set(pid, seen);
    }
    return byPid;
  }

  it('a zmq + sqlite run loads neither kafkajs nor ioredis, and the CLI no yaml or zod', async () => {
    const loaded = await loadedByProcess([
      'run',
      'exactly-once',
      '--transport',
      'zmq',
      '--store',
      'sqlite',
      '--workers',
      '2',
      '--messages',
      '20',
      '--json',
    ]);
    const all = [...loaded.values()];
    const cli = all.filter((names) => names.has('bin/semlab'));
    const dispatchers = all.filter((names) => names.has('dispatcher-entry.js'));
    const workers = all.filter((names) => names.has('worker-entry.js'));
    expect(cli).toHaveLength(1);
    expect(dispatchers).toHaveLength(1);
    expect(workers).toHaveLength(2);
    for (const names of all) {
      expect(names.has('kafkajs')).toBe(false);
      expect(names.has('ioredis')).toBe(false);
    }
    // The log sees libraries: the ones the run does use are there.
    for (const names of [...dispatchers, ...workers]) expect(names.has('zeromq')).toBe(true);
    for (const names of workers) expect(names.has('better-sqlite3')).toBe(true);
    expect(dispatchers[0]?.has('better-sqlite3')).toBe(false);
    expect(cli[0]?.has('@commander-js/extra-typings')).toBe(true);
    expect(cli[0]?.has('yaml')).toBe(false);
    expect(cli[0]?.has('zod')).toBe(false);
    // The supervisor has no socket to open.
    expect(cli[0]?.has('zeromq')).toBe(false);
  });
});
