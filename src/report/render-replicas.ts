import type { ChalkInstance } from 'chalk';
import { messages, type Catalog } from '../i18n/catalog.js';
import { wrap } from './render-scenario.js';
import {
  underReplicated,
  type ClusterView,
  type PartitionState,
  type ReplicaPhases,
} from '../transports/kafka/cluster-view.js';

/**
 * Kafka's replicas as text, under 80 columns (a projector at a large font): the table of
 * `semlab kafka describe`, and the strip a run that crashed a broker prints after its report
 * (before / during / after the crash). The model is ../transports/kafka/cluster-view.ts.
 */

const WIDTH = 80;

const list = (ids: readonly number[]): string => ids.join(',');

const fit = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, width - 1)}…`;

/** semlab.<run>.work → work: the run is named once, in the title. */
function shortTopic(topic: string, runId: string | undefined): string {
  const prefix = runId ? `semlab.${runId}.` : undefined;
  return prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
}

/** The table of `semlab kafka describe`: the brokers, then each topic's partitions. */
export function renderClusterView(
  view: ClusterView,
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const w = m.replicas;
  const lines: string[] = [];
  lines.push(
    colour.bold(
      w.cluster({
        count: view.brokers.length,
        controller: view.controller === null ? w.none : String(view.controller),
      }),
    ),
  );
  // The addresses wrap (never clip): a person may want to copy them.
  const listed = `${w.brokerList}: ${view.brokers.map((b) => `${b.nodeId} ${b.address}`).join(' · ')}`;
  for (const line of wrap(listed, WIDTH)) lines.push(colour.dim(line));
  const heads = [w.partition, w.leader, w.replicas, w.inSync];
  const widths = heads.map((h) => Math.max(h.length, 9));
  const row = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  let topic: string | undefined;
  let marked = false;
  for (const p of view.partitions) {
    if (p.topic !== topic) {
      topic = p.topic;
      lines.push('', colour.bold(fit(p.topic, WIDTH)), colour.dim(row(heads)));
    }
    const short = underReplicated(p);
    marked ||= short;
    const cells = [
      String(p.partition),
      p.leader === null ? w.none : String(p.leader),
      list(p.replicas),
      list(p.isr),
    ];
    const text = row(cells) + (short ? ' *' : '');
    lines.push(short || p.leader === null ? colour.yellow(text) : text);
  }
  if (marked) lines.push('', colour.dim(`* ${w.underReplicated}`));
  return lines.join('\n');
}

const cell = (p: PartitionState | undefined, w: Catalog['replicas']): string =>
  p === undefined ? '-' : `${p.leader === null ? w.none : p.leader} [${list(p.isr)}]`;

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/**
 * The strip after a run's report: for each partition of the run's topics, its leader and in-sync
 * set before the crash, while the broker was dead, and after its restart; then how long the
 * leader took to move and the replicas to catch up.
 */
export function renderReplicaStrip(
  phases: ReplicaPhases,
  runId: string,
  colour: ChalkInstance,
  m: Catalog = messages(),
): string {
  const w = m.replicas;
  const restartS =
    phases.restartT === undefined ? undefined : seconds(phases.restartT - phases.crash.t);
  const lines = [
    colour.bold(w.stripTitle) +
      colour.dim(` · ${w.stripCrash({ nodeId: phases.crash.nodeId, restartS })}`),
  ];
  const snapshots = [phases.before, phases.during, phases.after];
  const keys = new Map<string, { topic: string; partition: number }>();
  for (const s of snapshots) {
    for (const p of s?.partitions ?? []) keys.set(`${p.topic}/${p.partition}`, p);
  }
  if (keys.size === 0) {
    lines.push(colour.dim(`  ${w.noSnapshots}`));
    return lines.join('\n');
  }
  const names = [...keys.values()].map((k) => `${shortTopic(k.topic, runId)} ${k.partition}`);
  const first = Math.min(24, Math.max(12, ...names.map((n) => n.length)));
  const column = Math.floor((WIDTH - 2 - first - 2) / 3) - 2;
  const pad = (text: string, width: number): string => fit(text, width).padEnd(width);
  lines.push(
    colour.dim(
      `  ${pad('', first)}  ${[w.before, w.during, w.after].map((h) => pad(h, column)).join('  ')}`.trimEnd(),
    ),
  );
  [...keys.keys()].forEach((key, i) => {
    const cells = snapshots.map((s) => {
      const p = s?.partitions.find((q) => `${q.topic}/${q.partition}` === key);
      const text = pad(cell(p, w), column);
      return p && (underReplicated(p) || p.leader === null) ? colour.yellow(text) : text;
    });
    lines.push(`  ${pad(names[i] ?? '', first)}  ${cells.join('  ')}`.trimEnd());
  });
  lines.push(colour.dim(`  ${w.legend}`));
  lines.push(
    `  ${
      phases.leaderMovedAfterMs === undefined
        ? w.leaderNotMoved({ nodeId: phases.crash.nodeId })
        : w.leaderMoved({
            nodeId: phases.crash.nodeId,
            seconds: seconds(phases.leaderMovedAfterMs),
          })
    }`,
  );
  if (phases.restartT !== undefined) {
    lines.push(
      `  ${
        phases.isrFullAfterRestartMs === undefined
          ? w.isrNotFull
          : w.isrFull({ seconds: seconds(phases.isrFullAfterRestartMs) })
      }`,
    );
  }
  return lines.join('\n');
}
