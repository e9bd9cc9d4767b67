import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { JournalEvent } from '../core/journal.js';
import { RUN_FILES, type RunPlan } from '../core/run-plan.js';
import { getStore } from '../stores/registry.js';
import { getTransport } from '../transports/registry.js';
import { Checker, type Counts } from './checker.js';

/**
 * Reads a run folder back: every journal (the workers' `execute` events are the effect ledger),
 * and the effects the store recorded itself (the atomic preset's, committed with their marks). Files are streamed line by line, so a long run costs time here, not memory.
 */
export async function checkRun(plan: RunPlan): Promise<Counts> {
  const checker = new Checker(plan);
  for (const file of journalFiles(plan.runDir)) {
    for await (const event of readJsonLines<JournalEvent>(file)) checker.addEvent(event);
  }
  for await (const effect of getStore(plan.store).readEffects(plan)) checker.addEffect(effect);
  const transport = getTransport(plan.transport);
  for await (const effect of transport.readEffects?.(plan) ?? []) checker.addEffect(effect);
  return checker.result();
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
  const endsWithNewline = lastByte(path) === 0x0a;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
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

function lastByte(path: string): number | undefined {
  const size = statSync(path).size;
  if (size === 0) return undefined;
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
    throw new Error(`malformed line in ${path}: ${line.slice(0, 80)}`);
  }
}

/**
 * All journal events of a run in time order, merged from the per-process files (each already in
 * time order) one event at a time: memory holds one pending event per file.
 */
export async function* mergedEvents(runDir: string): AsyncGenerator<JournalEvent> {
  const sources = journalFiles(runDir).map((file) =>
    readJsonLines<JournalEvent>(file)[Symbol.asyncIterator](),
  );
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
    yield heads[best] as JournalEvent;
    const next = await (sources[best] as AsyncIterator<JournalEvent>).next();
    heads[best] = next.done ? undefined : next.value;
  }
}
