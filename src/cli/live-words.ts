import type { Catalog } from '../i18n/catalog.js';

/**
 * The live view's ticker entries and worker-death details arrive as English phrases from the
 * dispatcher and supervisor processes (src/core/dispatcher-main.ts FaultTicker, supervisor's
 * onWorkerState), which do not know the reader's language. They are read back here and said in
 * the catalog's words; a phrase this does not recognise (a newer fault kind) is shown as it came.
 */
export function tickerWords(entry: string, m: Catalog): string {
  const match = /^(work|ack) of (\d+) (?:dropped|held (\d+) ms)( \(live\))?$/.exec(entry);
  if (!match) return entry;
  return m.tickerFault({
    direction: match[1] === 'work' ? 'work' : 'ack',
    epoch: Number(match[2]),
    ...(match[3] !== undefined ? { ms: Number(match[3]) } : {}),
    live: match[4] !== undefined,
  });
}

export function crashDetailWords(detail: string, m: Catalog): string {
  const injected = /^(\S+) at epoch (\d+)$/.exec(detail);
  if (injected) return m.crashDetail({ point: injected[1] ?? '', epoch: Number(injected[2]) });
  if (detail === 'killed from the live view') return m.crashDetail({ live: true });
  const signal = /^killed by (\S+)$/.exec(detail);
  if (signal) return m.crashDetail({ signal: signal[1] ?? '' });
  return detail;
}

/**
 * A line of items joined by " · ", cut into as many lines as it takes to fit `columns` (the
 * live view's key line on an 80-column projector). Widths are of plain text: no colour codes.
 */
export function fitItems(line: string, columns: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const item of line.split(' · ')) {
    const next = current ? `${current} · ${item}` : item;
    if (current && next.length > columns) {
      out.push(current);
      current = `  ${item}`;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}
