import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.js';
import type { EpochStory } from '../../src/report/trace.js';
import { makeSemlabHome, runJson, runSemlab } from '../support/semlab.js';

/**
 * `semlab trace` on recorded runs: every lost and every twice-executed epoch is listed, with the
 * cause the raw journal lines show, and nothing else is.
 */
describe('semlab trace and semlab runs', () => {
  const { home, cleanup } = makeSemlabHome();
  afterAll(cleanup);

  /** The raw journal lines of a run folder, read here without semlab's own loader. */
  function rawEvents(runDir: string): JournalEvent[] {
    const dir = join(runDir, 'journal');
    return readdirSync(dir).flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as JournalEvent),
    );
  }

  function executionsPerEpoch(events: JournalEvent[], messages: number): Map<number, number> {
    const counts = new Map<number, number>();
    for (let epoch = 1; epoch <= messages; epoch++) counts.set(epoch, 0);
    for (const e of events)
      if (e.kind === 'execute') counts.set(e.epoch, (counts.get(e.epoch) ?? 0) + 1);
    return counts;
  }

  async function anomalies(runId: string): Promise<EpochStory[]> {
    const { code, stdout, stderr } = await runSemlab(
      ['trace', runId, '--anomalies', '--json'],
      home,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { stories: EpochStory[] }).stories;
  }

  it('lists every duplicate of a run with lost acks, each caused by its dropped ack', async () => {
    const eventsFile = join(home, 'events.jsonl');
    const report = await runJson(
      ['run', 'at-least-once', '--drop-ack', '0.2', '--seed', '7', '--events', eventsFile],
      home,
    );
    expect(report.duplicateExecutions).toBeGreaterThan(0);
    // --events: every event has its instant; on the virtual clock, its virtual instant.
    const written = readFileSync(eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEvent & { at: number });
    expect(written.length).toBeGreaterThan(report.sent);
    for (const event of written) {
      expect(typeof event.at).toBe('number');
      if (event.vt !== undefined) expect(event.at).toBe(event.vt);
    }
    expect(written.some((event) => event.at > 0)).toBe(true);
    const events = rawEvents(report.runDir);
    const executions = executionsPerEpoch(events, report.messages);
    const twice = [...executions].filter(([, n]) => n > 1).map(([epoch]) => epoch);
    const stories = await anomalies(report.runId);
    expect(stories.map((s) => s.epoch)).toEqual(twice);
    for (const story of stories) {
      // The instants: a lost ack's timeout fires exactly one timeout after the send it answers.
      const send = story.timeline.find((step) => step.kind === 'send');
      const timeout = story.timeline.find((step) => step.kind === 'timeout');
      expect(timeout && send && timeout.at - send.at).toBe(200);
      expect(story.outcome).toBe('duplicate');
      expect(story.executions).toBe(executions.get(story.epoch));
      expect(story.cause?.kind).toBe('ack-dropped');
      const droppedFirstAck = events.some(
        (e) =>
          e.kind === 'fault' &&
          e.fault === 'drop' &&
          e.direction === 'ack' &&
          e.epoch === story.epoch &&
          e.attempt === 1,
      );
      expect(droppedFirstAck).toBe(true);
    }
  });

  it('lists every lost epoch of an at-most-once run with drops and crashes, with the right cause', async () => {
    const report = await runJson(
      ['run', 'at-most-once', '--drop-work', '0.2', '--crash', 'after-receive@10', '--seed', '7'],
      home,
    );
    expect(report.lost).toBeGreaterThan(0);
    const events = rawEvents(report.runDir);
    const executions = executionsPerEpoch(events, report.messages);
    const lost = [...executions].filter(([, n]) => n === 0).map(([epoch]) => epoch);
    const stories = await anomalies(report.runId);
    expect(stories.map((s) => s.epoch)).toEqual(lost);
    expect(stories).toHaveLength(report.lost);
    for (const story of stories) {
      const dropped = events.some(
        (e) =>
          e.kind === 'fault' &&
          e.fault === 'drop' &&
          e.direction === 'work' &&
          e.epoch === story.epoch,
      );
      const diedOnIt = events.some((e) => e.kind === 'crash' && e.epoch === story.epoch);
      const expected = dropped
        ? 'work-dropped'
        : diedOnIt
          ? 'died-after-receive'
          : 'never-received';
      expect(story.cause?.kind).toBe(expected);
    }
    // Every injected crash lost its epoch (a crash epoch whose work was dropped never crashed).
    const crashes = events.filter((e) => e.kind === 'crash').length;
    expect(crashes).toBeGreaterThan(0);
    expect(stories.filter((s) => s.cause?.kind === 'died-after-receive')).toHaveLength(crashes);
  });

  it('names the hole of exactly-once, and tells one epoch step by step', async () => {
    const report = await runJson(
      ['run', 'exactly-once', '--crash', 'after-execute@10', '--seed', '7'],
      home,
    );
    const stories = await anomalies(report.runId);
    expect(stories.map((s) => s.epoch)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    for (const story of stories) expect(story.cause?.kind).toBe('dedupe-hole');

    // The epoch's life as a sequence diagram. The suite's terminal: LANG=C and NO_COLOR, so ASCII.
    const { stdout } = await runSemlab(['trace', report.runId.slice(0, 17), '--epoch', '20'], home);
    const lines = stdout.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(stdout).toMatch(/^[\x20-\x7e\n]*$/);
    expect(stdout).toMatch(
      /^epoch 20 {2}EXECUTED 2x {2}w\d died after executing it and before marking it/m,
    );
    // Lanes: the dispatcher, the incarnation that died (w2.0), the one that ran it again, the store.
    const lanes = lines.find((line) => line.startsWith(' ms  dispatcher'));
    expect(lanes).toMatch(/^ ms {2}dispatcher {2}(w\d\.\d +)+store$/);
    const dead = /^(w\d) died/m.exec(stdout.split('EXECUTED 2x  ')[1] ?? '')?.[1];
    expect(lanes).toContain(`${dead}.0`);
    // The first attempt reaches the worker, which executes and dies; the timeout fires.
    expect(stdout).toMatch(/^ {2}1 {2}\|-+>\| .* work #1$/m);
    expect(stdout).toMatch(new RegExp(`^ +\\| +X .* ${dead}\\.0 dies \\(after-execute\\)$`, 'm'));
    expect(stdout).toMatch(/^200 {2}@ .* timeout #1: send again$/m);
    expect(stdout).toMatch(new RegExp(`^201 .*\\+ .* ${dead}\\.1 starts \\(restart\\)$`, 'm'));
    expect(stdout).toMatch(/executes AGAIN$/m);
    expect(stdout).not.toMatch(/epoch 21/);

    // In pt-BR; a terminal that is not UTF-8 gets no accent either.
    const pt = await runSemlab(['trace', report.runId, '--epoch', '20', '--lang', 'pt-BR'], home);
    expect(pt.stdout).toMatch(/^[\x20-\x7e\n]*$/);
    expect(pt.stdout).toMatch(/^rodada \S+ - exactly-once via zmq/);
    expect(pt.stdout).toMatch(/^epoca 20 {2}EXECUTADA 2x {2}w\d morreu depois/m);
    expect(pt.stdout).toMatch(/^ ms {2}despachante {2}(w\d\.\d +)+store$/m);
    expect(pt.stdout).toMatch(new RegExp(`X .* ${dead}\\.0 morre \\(after-execute\\)$`, 'm'));
    expect(pt.stdout).toMatch(/^200 {2}@ .* timeout #1: envia de novo$/m);

    // A UTF-8 terminal gets the drawing's lines and symbols, still within 80 columns.
    const utf8 = await runSemlab(['trace', report.runId, '--epoch', '20'], home, {
      LANG: 'C.UTF-8',
      NO_COLOR: '',
    });
    for (const line of utf8.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(utf8.stdout).toMatch(new RegExp(`│ +✖ .* ${dead}\\.0 dies \\(after-execute\\)$`, 'm'));
    expect(utf8.stdout).toMatch(/^200 {2}◷ .* timeout #1: send again$/m);

    // --anomalies --diagram: the first three anomalous epochs, and how many were left out.
    const some = await runSemlab(['trace', report.runId, '--anomalies', '--diagram'], home);
    expect(some.stdout.match(/^epoch \d+ {2}EXECUTED 2x/gm)).toEqual([
      'epoch 10  EXECUTED 2x',
      'epoch 20  EXECUTED 2x',
      'epoch 30  EXECUTED 2x',
    ]);
    expect(some.stdout).toContain('3 of 10 anomalous epochs drawn; --epoch N draws any one');
  });

  it('lists the runs newest first, and says what is wrong with a run that is not there', async () => {
    const { stdout } = await runSemlab(['runs'], home);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\S+ {2}exactly-once over zmq, 100 messages {2}0 lost, 10 twice, broken$/,
    );
    expect(lines[2]).toMatch(/at-least-once over zmq, 100 messages {2}0 lost, \d+ twice, held$/);
    const missing = await runSemlab(['trace', '1999'], home);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^semlab: no run '1999' in .*; the newest are /);
    const badEpoch = await runSemlab(['trace', '--epoch', '101'], home);
    expect(badEpoch.code).toBe(2);
    expect(badEpoch.stderr).toMatch(/--epoch: run \S+ has epochs 1 to 100; 101 is not one of them/);
  });
});
