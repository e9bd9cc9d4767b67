/**
 * The words of the HTML report (src/report/render-html.ts), in English. A file of their own, so
 * the main catalogs only gain one line each; ./html-pt-br.ts has the same shape.
 */

/** What an event of the diagram is, with its numbers (src/report/html-model.ts). */
export interface HtmlEventWords {
  readonly kind: string;
  readonly epoch?: number;
  readonly attempt?: number;
  readonly worker?: string;
  readonly detail?: string;
}

const paren = (detail?: string): string => (detail ? ` (${detail})` : '');

export const htmlEn = {
  title: (p: { runId: string }): string => `semlab report · run ${p.runId}`,
  compareTitle: (p: { count: number }): string => `semlab report · ${p.count} runs compared`,
  offline: 'One self-contained file: it works offline and can be mailed as it is.',
  summary: 'Summary',
  diagram: 'Space-time diagram',
  timeline: 'Timeline',
  anomalies: 'Anomalies',
  comparison: 'Comparison',
  diagramHelp:
    'One lane per process; events run left to right in the order they happened, further apart when more time passed between them. Hover an arrow or a mark to see its event; pick an anomaly (a strip above the lanes, or the list) or an epoch to zoom to it.',
  wholeRun: 'whole run',
  zoomIn: 'zoom in',
  zoomOut: 'zoom out',
  epoch: 'epoch',
  showEpoch: 'show',
  epochView: (p: { epoch: number }): string =>
    `epoch ${p.epoch}: its events one after another, times in ms`,
  truncated: (p: { first: number; total: number; anomalies: number }): string =>
    `A large run: the diagram draws epochs 1 to ${p.first} of ${p.total} and ${p.anomalies} anomalous epoch${p.anomalies === 1 ? '' : 's'}; the counts and the timeline cover every epoch.`,
  noAnomalies: 'No anomaly: every epoch ran exactly once.',
  anomaliesCount: (p: { lost: number; duplicate: number }): string =>
    `${p.lost} lost, ${p.duplicate} executed more than once`,
  notDrawn: 'not drawn (past the cap)',
  outcomes: { lost: 'lost', duplicate: 'duplicate' } as Record<string, string>,
  legend: {
    work: 'work',
    retry: 'retry',
    ack: 'ack',
    dropped: 'dropped',
    execute: 'effect',
    duplicate: 'duplicate effect',
    crash: 'crash',
    restart: 'restart',
    timeout: 'timeout',
  },
  series: {
    sent: 'sent',
    retries: 'retries',
    acked: 'acked',
    effects: 'effects',
    faults: 'network faults',
  },
  timelineHelp: (p: { bucketMs: number }): string =>
    `Per ${p.bucketMs} ms of run time; shaded: faults switched on (live keys, a broker down). Below: each worker's crashes (×) and restarts (↻).`,
  runFaults: (p: { faults: string }): string => `faults for the whole run: ${p.faults}`,
  clockVirtual: 'virtual clock: times are the run’s own ms',
  clockReal: 'real clock: times are ms since the run started',
  barsTitle: 'Lost and duplicate executions per semantics',
  openRun: 'diagram',
  lostBar: 'lost',
  duplicateBar: 'duplicate executions',
  notFinished: (p: { runId: string }): string =>
    `run ${p.runId} has no report yet (in progress, or it never finished): semlab trace tells what its journals hold`,
  written: (p: { file: string }): string => `report: ${p.file}`,
  outNoFolder: (p: { flag: string; folder: string }): string =>
    `${p.flag}: the folder '${p.folder}' does not exist; create it or name a file in an existing folder`,
  outIsFolder: (p: { flag: string; file: string }): string =>
    `${p.flag}: '${p.file}' is a folder; name a file to write the report to`,
  outNotWritten: (p: { file: string; code: string }): string =>
    `could not write the report to '${p.file}' (${p.code})`,
  event: (e: HtmlEventWords): string => {
    const ep = `epoch ${e.epoch ?? '?'}`;
    const att = `attempt ${e.attempt ?? '?'}`;
    const w = e.worker ?? '?';
    switch (e.kind) {
      case 'send':
        return `${ep} sent (${att})`;
      case 'retry':
        return `${ep} sent again (${att})`;
      case 'receive':
        return `${w} received ${ep} (${att})`;
      case 'execute':
        return `${w} executed ${ep}`;
      case 'duplicate':
        return `${w} executed ${ep} again: a duplicate effect`;
      case 'skip':
        return `${w} skipped ${ep}: already executed`;
      case 'mark':
        return `${w} marked ${ep} executed`;
      case 'reply':
        return `${w} sent the ack of ${ep} (${att})`;
      case 'ack':
        return `the ack of ${ep} (${att}) from ${w} reached the dispatcher`;
      case 'timeout':
        return `no ack of ${ep} (${att}) in time: sent again`;
      case 'give-up':
        return `no ack of ${ep} (${att}) in time: given up`;
      case 'drop-work':
        return `the network dropped the work of ${ep} (${att})${paren(e.detail)}`;
      case 'drop-ack':
        return `the network dropped the ack of ${ep} (${att})${paren(e.detail)}`;
      case 'delay-work':
        return `the network held back the work of ${ep} (${att})${paren(e.detail)}`;
      case 'delay-ack':
        return `the network held back the ack of ${ep} (${att})${paren(e.detail)}`;
      case 'duplicate-work':
        return `the network delivered the work of ${ep} (${att}) twice${paren(e.detail)}`;
      case 'duplicate-ack':
        return `the network delivered the ack of ${ep} (${att}) twice${paren(e.detail)}`;
      case 'reorder-work':
        return `later messages overtook the work of ${ep} (${att})${paren(e.detail)}`;
      case 'reorder-ack':
        return `later messages overtook the ack of ${ep} (${att})${paren(e.detail)}`;
      case 'partition-work':
        return `the work of ${ep} (${att}) was lost in a partition${paren(e.detail)}`;
      case 'partition-ack':
        return `the ack of ${ep} (${att}) was lost in a partition${paren(e.detail)}`;
      case 'crash':
        return `${w} died${paren(e.detail)} holding ${ep}`;
      case 'restart':
        return `${w} restarted${paren(e.detail)}`;
      case 'kill':
        return `${w} killed${paren(e.detail)}`;
      case 'live-on':
        return `live key: ${e.detail ?? ''} on`;
      case 'live-off':
        return `live key: ${e.detail ?? ''} off`;
      case 'broker-crash':
        return `Kafka broker ${e.detail ?? ''} killed`;
      case 'broker-restart':
        return `Kafka broker ${e.detail ?? ''} started again`;
      default:
        return e.kind;
    }
  },
  /** The lab, after a run (src/cli/commands/lab.ts): the report it wrote, and the key `o`. */
  labWritten: (p: { file: string }): string => `report (the key o opens it): ${p.file}`,
  labOpening: (p: { file: string; opener: string }): string => `opening ${p.file} with ${p.opener}`,
  labNoOpener: (p: { file: string }): string =>
    `no desktop opener here (xdg-open or open): open ${p.file} in a browser`,
  labNoReport: 'no report yet: it is written after a run that ends',
};

export type HtmlCatalog = typeof htmlEn;
