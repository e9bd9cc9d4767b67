import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mountTmpfs } from '../support/mounts.js';
import { makeSemlabHome, runFolders, runSemlab, type SemlabResult } from '../support/semlab.js';

/**
 * Every error a person can cause or meet ends as exactly one `semlab:` line and the exit code
 * that goes with it (2 bad input, 3 the machine): never a stack trace, never a megabyte of echo,
 * never a run started for input that was bad all along.
 */

/** Exactly one line on stderr, starting with `semlab:`; nothing on stdout. */
function expectOneLine(result: SemlabResult, code: number, message: RegExp): void {
  expect(result.stderr).toMatch(/^semlab: [^\n]*\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(code);
}

const SCENARIO_HEAD = 'name: attack\ntitle: An attack\ndescription: Bad input\n';

describe('errors: bad input is refused in one line with exit 2, before any run', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  /** Runs semlab and checks the one line, exit 2, and that no run folder was made. */
  async function refused(args: string[], message: RegExp): Promise<SemlabResult> {
    const result = await runSemlab(args, home);
    expectOneLine(result, 2, message);
    expect(runFolders(home)).toEqual([]);
    return result;
  }

  it('--events into a missing folder is refused before the run, not after it (no stack trace, no exit 1)', async () => {
    await refused(
      ['run', 'at-least-once', '--events', join(home, 'no-such-folder', 'events.jsonl')],
      /--events: the folder '.*no-such-folder' does not exist/,
    );
  });

  it('--events naming a folder is refused before the run', async () => {
    await refused(
      ['compare', '--semantics', 'at-least-once', '--events', home],
      /--events: '.*' is a folder; name a file/,
    );
  });

  it('a YAML alias bomb is bad input naming the file, not a resource exhaustion with exit 3', async () => {
    let laughs = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (const [previous, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) {
      laughs += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
    }
    const file = join(home, 'bomb.yaml');
    writeFileSync(file, `${SCENARIO_HEAD}semantics: at-least-once\n${laughs}`);
    await refused(['run', file], /bomb\.yaml: its YAML aliases expand to more than 100 nodes/);
  });

  it('a folder named like a scenario file is refused in one line (no EISDIR stack trace)', async () => {
    const dir = join(home, 'lesson.yaml');
    mkdirSync(dir);
    await refused(['run', dir], /'.*lesson\.yaml' is a folder, not a scenario file/);
  });

  it('a multi-megabyte value is not echoed back: the message stays short', async () => {
    const file = join(home, 'huge-value.yaml');
    writeFileSync(
      file,
      `${SCENARIO_HEAD}semantics: at-least-once\nstore: ${'y'.repeat(900_000)}\n`,
    );
    const fromFile = await refused(
      ['run', file],
      /store: 'y+… is not one of sqlite, memory, redis/,
    );
    expect(fromFile.stderr.length).toBeLessThan(300);
    const fromFlag = await refused(
      ['run', 'at-least-once', '--drop-ack', '9'.repeat(100_000)],
      /--drop-ack: '9+…' is not a probability/,
    );
    expect(fromFlag.stderr.length).toBeLessThan(200);
  });

  it('a newline inside a value cannot make the error two lines', async () => {
    await refused(
      ['run', 'at-least-once', '--drop-ack', '0.5\nsemlab: fake'],
      /'0\.5\\nsemlab: fake'/,
    );
  });

  it('a 100,000-entry semantics list starts no runs and fails fast', async () => {
    const file = join(home, 'endless.yaml');
    const list = Array(100_000).fill('at-most-once').join(', ');
    writeFileSync(file, `${SCENARIO_HEAD}semantics: [${list}]\n`);
    const started = Date.now();
    await refused(
      ['run', file],
      /endless\.yaml: \d+ bytes is too large for a scenario file; the most allowed is 1048576/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a semantics list longer than the presets, or with a repeat, names the field', async () => {
    const file = join(home, 'six.yaml');
    const six =
      'at-most-once, at-least-once, exactly-once, exactly-once-atomic, at-most-once-execution, at-least-once';
    writeFileSync(file, `${SCENARIO_HEAD}semantics: [${six}]\n`);
    await refused(
      ['run', file],
      /six\.yaml:4: semantics: 6 entries is too many; the most allowed is 5/,
    );
    writeFileSync(file, `${SCENARIO_HEAD}semantics: [at-least-once, at-least-once]\n`);
    await refused(['run', file], /six\.yaml:4: semantics\[1\]: 'at-least-once' is listed twice/);
  });

  it('more than 32 faults are refused, in a file and on the command line', async () => {
    const file = join(home, 'faults.yaml');
    const fault = '  - { type: drop, direction: ack, probability: 0.1 }\n';
    writeFileSync(file, `${SCENARIO_HEAD}semantics: at-least-once\nfaults:\n${fault.repeat(33)}`);
    await refused(
      ['run', file],
      /faults\.yaml:5: faults: 33 entries is too many; the most allowed is 32/,
    );
    const crashes = Array(33).fill(['--crash', 'after-execute@5']).flat();
    await refused(['run', 'at-least-once', ...crashes], /--crash: 33 given; at most 32/);
  });

  it('--transport and --semantics lists cannot repeat a name or run longer than the names', async () => {
    await refused(['compare', '--transport', 'zmq,zmq'], /--transport: 'zmq' is given twice/);
    await refused(
      ['compare', '--semantics', 'at-least-once,exactly-once,at-least-once'],
      /--semantics: 'at-least-once' is given twice/,
    );
  });

  for (const text of ['0x1', '1e-1', 'Infinity', '0b1']) {
    it(`--drop-ack ${text} is not read as a number (plain decimal only)`, async () => {
      await refused(
        ['run', 'at-least-once', '--drop-ack', text],
        /is not a probability; use a number from 0 to 1/,
      );
    });
  }

  it('--redis-url on a zmq run with the sqlite store is refused with a hint, not ignored', async () => {
    await refused(
      ['run', 'at-least-once', '--redis-url', 'redis://127.0.0.1:6379'],
      /--redis-url applies to --transport redis or --store redis \(this run uses zmq and sqlite\)/,
    );
  });

  it('--keep where nothing leaves keys or topics is refused, not ignored', async () => {
    await refused(
      ['run', 'at-least-once', '--keep'],
      /--keep applies to --transport redis or kafka, or --store redis/,
    );
  });

  it("an unknown option is one semlab: line with commander's suggestion, not two error: lines", async () => {
    await refused(
      ['run', 'at-least-once', '--droop-ack', '0.2'],
      /^semlab: unknown option '--droop-ack'; did you mean '--drop-ack'\? \(`semlab run --help` lists the options\)/,
    );
  });

  it('an unknown option is said in the chosen language', async () => {
    await refused(
      ['--lang', 'pt-BR', 'run', 'at-least-once', '--droop-ack', '0.2'],
      /^semlab: opção desconhecida '--droop-ack'; você quis dizer '--drop-ack'\?/,
    );
  });

  it("commander's other errors are one line too: unknown command, missing argument or value, extra arguments", async () => {
    await refused(['frobnicate'], /unknown command 'frobnicate'/);
    await refused(['run'], /missing required argument 'target'.*; see `semlab run --help`/);
    await refused(['run', 'at-least-once', '--drop-ack'], /option '--drop-ack <p>' needs a value/);
    await refused(
      ['run', 'at-least-once', 'extra'],
      /too many arguments for 'run': expected 1, got 2/,
    );
  });
});

describe('errors: a home semlab cannot write is one line with exit 3 naming the path and the cause', () => {
  it('a full disk says so (not a SqliteError stack trace)', async () => {
    const disk = mountTmpfs(256);
    try {
      try {
        writeFileSync(join(disk.dir, 'filler'), Buffer.alloc(512 * 1024));
      } catch {
        // ENOSPC: the disk is as full as it gets.
      }
      expect(statfsSync(disk.dir).bavail).toBe(0);
      const result = await runSemlab(['run', 'exactly-once', '--messages', '20'], disk.dir);
      expectOneLine(
        result,
        3,
        /cannot keep runs in '.*': no space left on the disk; free some space, or set SEMLAB_HOME/,
      );
      expect(result.stderr).toContain(disk.dir);
    } finally {
      disk.release();
    }
  });

  it('--events onto a full disk is one line with exit 3 after the run, not an unhandled error event', async () => {
    const disk = mountTmpfs(64);
    const { home, cleanup } = makeSemlabHome();
    try {
      try {
        writeFileSync(join(disk.dir, 'filler'), Buffer.alloc(128 * 1024));
      } catch {
        // ENOSPC: full.
      }
      const events = join(disk.dir, 'events.jsonl');
      const result = await runSemlab(
        ['run', 'at-least-once', '--messages', '50', '--seed', '1', '--events', events],
        home,
      );
      expectOneLine(
        result,
        3,
        /could not write the events to '.*events\.jsonl': no space left on the disk/,
      );
      expect(runFolders(home)).toHaveLength(1);
    } finally {
      disk.release();
      cleanup();
    }
  });

  it('a read-only home says read-only (not a misleading ENOENT)', async () => {
    const disk = mountTmpfs(256);
    try {
      disk.readOnly();
      const result = await runSemlab(['run', 'at-least-once'], join(disk.dir, 'semlab'));
      expectOneLine(
        result,
        3,
        /cannot keep runs in '.*': the file system is read-only; set SEMLAB_HOME to a folder you can write/,
      );
      expect(result.stderr).toContain(disk.dir);
    } finally {
      disk.release();
    }
  });

  it('a home that is a file says so', async () => {
    const { home, cleanup } = makeSemlabHome();
    try {
      const file = join(home, 'not-a-folder');
      writeFileSync(file, 'x');
      const result = await runSemlab(['run', 'at-least-once'], file);
      expectOneLine(result, 3, /cannot keep runs in '.*not-a-folder': .*is a file, not a folder/);
    } finally {
      cleanup();
    }
  });
});

describe('errors: an unmet expect block', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  it('is one semlab: line with exit 1, the misses joined on it', async () => {
    const file = join(home, 'wrong.yaml');
    writeFileSync(
      file,
      `${SCENARIO_HEAD}semantics: at-least-once\nmessages: 10\nseed: 3\nexpect:\n  at-least-once: { lost: 1, executed: 0 }\n`,
    );
    const result = await runSemlab(['run', file], home);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^semlab: expectations not met: at-least-once over zmq: executed expected 0, got \d+ \([^)]*\); at-least-once over zmq: lost expected 1, got 0 \([^)]*\)\n$/,
    );
  });
});
