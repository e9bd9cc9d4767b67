import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EffectRecord, JournalEvent } from '../core/journal.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import type { ClockKind } from '../clock/clock.js';
import { runStore } from '../core/run-resources.js';
import { loadTransport } from '../transports/registry.js';
import { Checker, type Counts } from './checker.js';
import { eventInstant, runStartT, type RunTimeline } from './instant.js';

/**
 * The run's own check, at its end: every journal (the workers' `execute` events are the effect
 * ledger), and the effects the store or transport recorded itself (the atomic preset's, committed
 * with their marks), read from the store or service itself, never from an earlier copy. Files are
 * streamed line by line, so a long run costs time here, not memory.
 */
export async function checkRun(plan: RunPlan): Promise<Counts> {
  const checker = new Checker(plan);
  // Each event with its journal and line: what follows a worker's crash in its own file is a check.
  for (const file of journalFiles(plan.runDir)) {
    const journal = basename(file, '.jsonl');
    let line = 0;
    for await (const event of readJsonLines<JournalEvent>(file)) {
      checker.addEvent(event, { journal, line: line++ });
    }
  }
  for await (const effect of copiedEffects(plan)) checker.addEffect(effect);
  return checker.result();
}

/** Every journal event of a run, file after file (not in time order: see mergedEvents). */
export async function* journalEvents(runDir: string): AsyncGenerator<JournalEvent> {
  for (const file of journalFiles(runDir)) yield* readJsonLines<JournalEvent>(file);
}

/**
 * The effects a store or a transport recorded itself, read by the run's own check, which leaves
 * a copy in the run folder so that a later reading (`semlab trace`) still finds them after the
 * run deleted its Redis keys or Kafka topics. Only the run itself writes the copy: written aside
 * and renamed when whole, so a reading cut short never passes for the copy, and it replaces
 * whatever an older semlab may have left there.
 */
async function* copiedEffects(plan: RunPlan): AsyncGenerator<EffectRecord> {
  const copy = join(plan.runDir, RUN_FILES.effectsCopy);
  const partial = `${copy}.${process.pid}.partial`;
  writeFileSync(partial, '');
  let chunk = '';
  const sources = [
    (await runStore(plan))?.readEffects(plan) ?? [],
    (await loadTransport(plan.transport)).readEffects?.(plan) ?? [],
  ];
  for (const source of sources) {
    for await (const effect of source) {
      chunk += JSON.stringify(effect) + '\n';
      if (chunk.length > 64 * 1024) {
        appendFileSync(partial, chunk);
        chunk = '';
      }
      yield effect;
    }
  }
  appendFileSync(partial, chunk);
  renameSync(partial, copy);
}

/** Where a reader's effects came from (see readerEffects). */
export type EffectsSource = 'copy' | 'store';

/**
 * The effects as a reader (`semlab trace`) sees them, writing nothing anywhere: the run's copy
 * when its check wrote one, else what the store holds so far, read read-only (sqlite opened
 * read-only, Redis read with LRANGE). Never the transport's: reading Kafka's committed effects
 * fences the workers' transactions, which would disturb a run still going.
 */
export async function readerEffects(plan: RunPlan): Promise<{
  source: EffectsSource;
  effects: AsyncIterable<EffectRecord>;
  /** The transport records effects of its own, which only the run's check reads. */
  transportEffectsUnread: boolean;
}> {
  const copy = join(plan.runDir, RUN_FILES.effectsCopy);
  if (existsSync(copy)) {
    return {
      source: 'copy',
      effects: readJsonLines<EffectRecord>(copy),
      transportEffectsUnread: false,
    };
  }
  return {
    source: 'store',
    effects: (await runStore(plan))?.readEffects(plan) ?? (async function* () {})(),
    transportEffectsUnread: (await loadTransport(plan.transport)).readEffects !== undefined,
  };
}

export function journalFiles(runDir: string): string[] {
  return listJsonLines(join(runDir, RUN_FILES.journalDir));
}

function listJsonLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * The records of one JSON-lines file. A last line without its newline is the trace of a process
 * killed in mid-write: it is skipped if it does not parse. A malformed line that was written
 * whole (it ends with a newline) is corruption, and an error.
 */
export async function* readJsonLines<T>(path: string): AsyncGenerator<T> {
  // Read up to the size seen now, so the last-byte test and the lines agree even when the file
  // is still growing (a run in progress, read by `semlab trace`).
  const stats = statSync(path);
  if (!stats.isFile()) {
    throw Object.assign(new Error(`EISDIR: ${path} is not a file`), { code: 'EISDIR', path });
  }
  const size = stats.size;
  if (size === 0) return;
  const endsWithNewline = lastByte(path, size) === 0x0a;
  const lines = createInterface({
    input: createReadStream(path, { start: 0, end: size - 1 }),
    crlfDelay: Infinity,
  });
  let pending: string | undefined;
  for await (const line of lines) {
    if (pending !== undefined) yield parseLine<T>(pending, path);
    pending = line;
  }
  if (pending === undefined || pending === '') return;
  if (endsWithNewline) {
    yield parseLine<T>(pending, path);
    return;
  }
  const torn = tryParse<T>(pending);
  if (torn !== undefined) yield torn;
}

function lastByte(path: string, size: number): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1);
    readSync(fd, buffer, 0, 1, size - 1);
    return buffer[0];
  } finally {
    closeSync(fd);
  }
}

function tryParse<T>(line: string): T | undefined {
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}

function parseLine<T>(line: string, path: string): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new MalformedLineError(path, line);
  }
}

/** A whole line of a JSON-lines file that does not parse: the file is damaged. */
export class MalformedLineError extends Error {
  constructor(
    readonly path: string,
    line: string,
  ) {
    super(`malformed line in ${path}: ${line.slice(0, 80)}`);
    this.name = 'MalformedLineError';
  }
}

/**
 * All journal events of a run in time order, merged from the per-process files (each already in
 * time order) one event at a time: memory holds one pending event per file.
 */
export async function* mergedEvents(runDir: string): AsyncGenerator<JournalEvent> {
  for await (const { event } of mergedWithSource(runDir)) yield event;
}

/** mergedEvents, each event with the name of its journal ("dispatcher", "w2.1"). */
async function* mergedWithSource(
  runDir: string,
): AsyncGenerator<{ event: JournalEvent; journal: string }> {
  const files = journalFiles(runDir);
  const sources = files.map((file) => readJsonLines<JournalEvent>(file)[Symbol.asyncIterator]());
  const names = files.map((file) => basename(file, '.jsonl'));
  const heads: (JournalEvent | undefined)[] = await Promise.all(
    sources.map(async (source) => (await source.next()).value ?? undefined),
  );
  for (;;) {
    let best = -1;
    heads.forEach((head, i) => {
      const current = best >= 0 ? heads[best] : undefined;
      if (head && (!current || head.t < current.t)) best = i;
    });
    if (best < 0) return;
    yield { event: heads[best] as JournalEvent, journal: names[best] as string };
    const next = await (sources[best] as AsyncIterator<JournalEvent>).next();
    heads[best] = next.done ? undefined : next.value;
  }
}

// The one definition of an event's instant lives in a pure module (the HTML model uses it too);
// the readers here import it from this file as before.
export { eventInstant, runStartT, type RunTimeline } from './instant.js';

/**
 * A kept run's timeline: its clock and its start (runStartT), read from the dispatcher's journal
 * up to its first send (the first lines of one file), or undefined for a run with no journal yet.
 */
export async function runTimeline(
  runDir: string,
  clock: ClockKind | undefined,
): Promise<RunTimeline | undefined> {
  let firstEventT = Infinity;
  let firstSendT: number | undefined;
  for (const file of journalFiles(runDir)) {
    const dispatcher = basename(file, '.jsonl') === 'dispatcher';
    for await (const event of readJsonLines<JournalEvent>(file)) {
      firstEventT = Math.min(firstEventT, event.t);
      if (dispatcher && event.kind === 'send') {
        firstSendT = event.t;
        break;
      }
      // Every other journal: its first line is its earliest (each file is in time order).
      if (!dispatcher) break;
    }
  }
  if (!Number.isFinite(firstEventT)) return undefined;
  return { clock: clock ?? 'real', startT: runStartT(firstSendT, firstEventT) };
}

/** A journal event with its instant (eventInstant) and the journal it came from. */
export interface TimedEvent {
  readonly event: JournalEvent;
  /** ms: virtual on the virtual clock, wall ms since the run started otherwise. */
  readonly at: number;
  /** The journal's name: "dispatcher", "supervisor", or a worker incarnation, "w2.1". */
  readonly journal: string;
}

/**
 * The run's events in time order (mergedEvents), each with its instant (eventInstant, on the
 * run's timeline) and its journal. Streams like mergedEvents.
 */
export async function* timedEvents(
  runDir: string,
  clock: ClockKind | undefined,
): AsyncGenerator<TimedEvent> {
  const timeline = await runTimeline(runDir, clock);
  if (!timeline) return;
  let carried = 0;
  for await (const { event, journal } of mergedWithSource(runDir)) {
    const at = eventInstant(event, timeline, carried);
    // Virtual time never goes back: a late-stamped event does not pull the carried instant down.
    if (event.vt !== undefined) carried = Math.max(carried, event.vt);
    yield { event, at, journal };
  }
}
