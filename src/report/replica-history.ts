import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEvent } from '../core/journal.js';
import { RUN_FILES } from '../core/run-plan.js';
import { replicaPhases, type ReplicaPhases } from '../transports/kafka/cluster-view.js';

/**
 * A run's journalled leaders and in-sync sets (the `kafka-replicas` events of --crash-broker,
 * src/core/replica-watch.ts) around its broker crash. Undefined when the run crashed no broker.
 */
export function replicaPhasesOf(events: readonly JournalEvent[]): ReplicaPhases | undefined {
  const crash = events.find((e) => e.kind === 'broker-crash');
  if (crash?.kind !== 'broker-crash') return undefined;
  const restart = events.find((e) => e.kind === 'broker-restart' && e.t >= crash.t);
  const snapshots = events.flatMap((e) =>
    e.kind === 'kafka-replicas' ? [{ t: e.t, partitions: e.partitions }] : [],
  );
  return replicaPhases(snapshots, { nodeId: crash.nodeId, t: crash.t }, restart?.t);
}

/** The same, read from a run folder; a missing or unreadable journal is no crash to show. */
export function replicaPhasesOfRun(runDir: string): ReplicaPhases | undefined {
  let text: string;
  try {
    text = readFileSync(join(runDir, RUN_FILES.supervisorJournal), 'utf8');
  } catch {
    return undefined;
  }
  const events: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch {
      // A torn last line of a killed run: the events before it still count.
    }
  }
  return replicaPhasesOf(events);
}
