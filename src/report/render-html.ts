import { Chalk } from 'chalk';
import type { Catalog } from '../i18n/catalog.js';
import type { ExpectationResult } from '../scenario/expect.js';
import { CLIENT_SCRIPT } from './html-client.js';
import type { ReportModel, RunModel, Timeline } from './html-model.js';
import { renderExpectations } from './render-scenario.js';
import { describeFaultIn, verdictReason } from './render-table.js';

/**
 * The HTML report: one self-contained page drawn from the model (./html-model.ts). Every style and
 * script is inline and the page's Content-Security-Policy forbids fetching anything, so it works
 * offline and can be mailed. The counts, timeline and comparison are static markup and SVG (they
 * read without scripts); the space-time diagram is drawn in the page by ./html-client.ts, from
 * the model kept as a JSON block (`#semlab-report`) that scripts can read back.
 */
export function renderHtmlReport(model: ReportModel, m: Catalog): string {
  const h = m.html;
  const [single] = model.runs;
  const title =
    model.kind === 'compare' || !single
      ? h.compareTitle({ count: model.runs.length })
      : h.title({ runId: single.report.runId });
  const body = [
    `<header><h1>${esc(title)}</h1><p class="note">${esc(h.offline)}</p></header>`,
    model.kind === 'compare' ? comparison(model.runs, m) : '',
    ...model.runs.map((run, i) => runSection(run, i, model.kind === 'compare', m)),
    '<div id="tip" role="tooltip" hidden></div>',
  ].join('\n');
  return `<!doctype html>
<html lang="${esc(model.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="semlab">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script type="application/json" id="semlab-report">${jsonForScript(model)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function runSection(run: RunModel, i: number, folded: boolean, m: Catalog): string {
  const h = m.html;
  const r = run.report;
  const heading = `${esc(r.semantics)} · ${esc(r.transport)} · ${esc(r.runId)}`;
  const inner = [
    `<h3>${esc(h.summary)}</h3>`,
    summary(run, m),
    `<h3 id="run-${i}-anomalies">${esc(h.anomalies)}</h3>`,
    anomalies(run, i, m),
    `<h3>${esc(h.diagram)}</h3>`,
    `<p class="note">${esc(h.diagramHelp)} ${esc(run.clock === 'virtual' ? h.clockVirtual : h.clockReal)}.</p>`,
    run.truncated
      ? `<p class="truncated">${esc(h.truncated({ first: run.firstEpochs, total: r.messages, anomalies: run.anomalies.filter((a) => a.drawn && a.epoch > run.firstEpochs).length }))}</p>`
      : '',
    controls(run, i, m),
    legend(m),
    `<div class="diagram" id="run-${i}-diagram-box" data-run="${i}"></div>`,
    `<h3>${esc(h.timeline)}</h3>`,
    timeline(run, m),
  ].join('\n');
  if (!folded) return `<section class="run" id="run-${i}" data-run="${i}">\n${inner}\n</section>`;
  return `<section class="run" id="run-${i}" data-run="${i}"><details><summary><h2>${heading}</h2></summary>\n${inner}\n</details></section>`;
}

/** The counts, verdict and workers, in the words and order of the terminal's table. */
function summary(run: RunModel, m: Catalog): string {
  const r = run.report;
  const faults = r.faults.map((f) =>
    m.injected({ fault: describeFaultIn(f, m), count: f.injected }),
  );
  if (r.externalKills > 0) faults.push(m.externalKills(r.externalKills));
  const fields = [
    'messages',
    'sent',
    'retries',
    'delivered',
    'duplicateDeliveries',
    'executed',
    'duplicateExecutions',
    'acked',
    'lost',
    ...((r.unsettled ?? 0) > 0 ? ['unsettled' as const] : []),
  ] as const;
  const rows = fields.map((field) => {
    const value = r[field] ?? 0;
    const tone =
      value > 0 && (field === 'lost' ? 'bad' : field === 'duplicateExecutions' ? 'warn' : '');
    const { name, meaning } = m.rows[field];
    return `<tr data-field="${field}"><th>${esc(name)}</th><td class="num ${tone || ''}" data-value="${value}">${esc(m.number(value))}</td><td class="meaning">${esc(meaning)}</td></tr>`;
  });
  const held = r.verdict.held;
  const badge = held === null ? m.noVerdictBadge : held ? m.heldBadge : m.brokenBadge;
  const badgeClass = held === null ? 'none' : held ? 'held' : 'broken';
  const c = m.workerColumns;
  const workerRows = r.perWorker.map(
    (w) =>
      `<tr data-worker="${esc(w.worker)}">${[w.worker, w.delivered, w.executed, w.skipped, w.acksSent, w.crashes, w.deaths].map((v, k) => (k === 0 ? `<th>${esc(String(v))}</th>` : `<td class="num">${esc(String(v))}</td>`)).join('')}</tr>`,
  );
  const footer = m.runFooter({
    throughput: m.number(r.throughput),
    seconds: m.seconds(r.durationMs),
    ...(r.virtualDurationMs !== undefined ? { virtualMs: m.number(r.virtualDurationMs) } : {}),
    runId: r.runId,
    runDir: r.runDir,
  });
  return `<p class="header"><b>${esc(r.semantics)}</b>${esc(m.runHeader(r))}</p>
<p class="note">${esc(`${m.clockKind(r.clock)} · ${m.faults(faults)}`)}</p>
<table class="counts">${rows.join('')}</table>
<p class="verdict">${esc(m.verdict)}: <span class="badge ${badgeClass}" data-held="${String(held)}">${esc(badge)}</span> ${esc(m.promise)}: ${esc(m.promises[r.semantics])}<br><span class="reason">${esc(verdictReason(r, m))}</span></p>
${r.status === 'stalled' ? `<p class="bad">${esc(m.stalled(r.diagnosis))}</p>` : ''}
<table class="workers"><tr>${[c.worker, c.delivered, c.executed, c.skipped, c.acksSent, c.crashes, c.deaths].map((x) => `<th>${esc(x)}</th>`).join('')}</tr>${workerRows.join('')}</table>
<p class="note">${esc(footer)}</p>${expectations(run, m)}`;
}

/** A scenario's expect block, as the terminal's line says it (a lesson's run carries it). */
function expectations(run: RunModel, m: Catalog): string {
  const results = (run.report as { expectations?: ExpectationResult[] }).expectations;
  if (!results?.length) return '';
  const met = results.every((r) => r.met);
  return `<p class="expect ${met ? 'met' : 'bad'}" data-met="${String(met)}">${esc(renderExpectations(results, PLAIN, m))}</p>`;
}

const PLAIN = new Chalk({ level: 0 });

/** Each lost or repeated epoch with its cause, a link to its place in the diagram. */
function anomalies(run: RunModel, i: number, m: Catalog): string {
  const h = m.html;
  if (run.anomalies.length === 0) return `<p class="note">${esc(h.noAnomalies)}</p>`;
  const lost = run.anomalies.filter((a) => a.outcome === 'lost').length;
  const items = run.anomalies.map((a) => {
    const label = `${h.epoch} ${a.epoch}`;
    const link = a.drawn
      ? `<a href="#run-${i}-epoch-${a.epoch}" data-epoch="${a.epoch}">${esc(label)}</a>`
      : `${esc(label)} <i>(${esc(h.notDrawn)})</i>`;
    const cause = a.cause ? `${esc(m.trace.cause(a.cause))} <code>${esc(a.cause.kind)}</code>` : '';
    return `<li class="${a.outcome}" data-epoch="${a.epoch}">${link} <span class="outcome">${esc(h.outcomes[a.outcome] ?? a.outcome)}</span>: ${cause}</li>`;
  });
  return `<p class="note">${esc(h.anomaliesCount({ lost, duplicate: run.anomalies.length - lost }))}</p>
<ol class="anomalies" data-run="${i}">${items.join('')}</ol>`;
}

function controls(run: RunModel, i: number, m: Catalog): string {
  const h = m.html;
  return `<div class="controls">
<button type="button" data-action="whole" data-run="${i}">${esc(h.wholeRun)}</button>
<button type="button" data-action="out" data-run="${i}">${esc(h.zoomOut)}</button>
<button type="button" data-action="in" data-run="${i}">${esc(h.zoomIn)}</button>
<label>${esc(h.epoch)} <input id="epoch-${i}" type="number" min="1" max="${run.report.messages}"></label>
<button type="button" data-action="epoch" data-run="${i}">${esc(h.showEpoch)}</button>
<span class="view" id="view-${i}" data-epoch-words="${esc(h.epochView({ epoch: 0 }).replace('0', '{epoch}'))}"></span>
</div>`;
}

function legend(m: Catalog): string {
  const l = m.html.legend;
  const item = (cls: string, text: string): string =>
    `<span class="key ${cls}"><i></i>${esc(text)}</span>`;
  return `<p class="legend">${[
    item('work', l.work),
    item('retry', l.retry),
    item('ack', l.ack),
    item('dropped', l.dropped),
    item('execute', l.execute),
    item('duplicate', l.duplicate),
    item('crash', l.crash),
    item('restart', l.restart),
    item('timeout', l.timeout),
  ].join(' ')}</p>`;
}

const TL = { width: 900, chart: 150, left: 44, row: 18 };
const SERIES = ['sent', 'retries', 'acked', 'effects', 'faults'] as const;

/** Counts per time bucket as lines, switched faults shaded, then a row per worker's deaths. */
function timeline(run: RunModel, m: Catalog): string {
  const h = m.html;
  const t: Timeline = run.timeline;
  const span = t.bucketMs * t.buckets.length;
  const plot = TL.width - TL.left - 10;
  const x = (ms: number): number => TL.left + (ms / span) * plot;
  const most = Math.max(1, ...t.buckets.flatMap((b) => SERIES.map((s) => b[s])));
  const y = (n: number): number => 10 + TL.chart - (n / most) * TL.chart;
  const height = 10 + TL.chart + 24 + t.workers.length * TL.row + 6;
  const parts: string[] = [];
  for (const w of t.windows) {
    const to = w.to ?? span;
    parts.push(
      `<rect class="window" data-kind="${esc(w.kind)}" x="${f(x(w.from))}" y="10" width="${f(Math.max(2, x(to) - x(w.from)))}" height="${TL.chart}"><title>${esc(w.kind)}</title></rect>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${TL.left}" x2="${TL.width - 10}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<text class="tick" x="${TL.left - 4}" y="${y(most) + 4}" text-anchor="end">${most}</text>`,
    `<text class="tick" x="${TL.left - 4}" y="${y(0) + 4}" text-anchor="end">0</text>`,
  );
  for (let k = 0; k <= 4; k++) {
    const ms = (span * k) / 4;
    parts.push(
      `<text class="tick" x="${f(x(ms))}" y="${y(0) + 16}" text-anchor="${k === 4 ? 'end' : k === 0 ? 'start' : 'middle'}">${esc(`${Math.round(ms)} ms`)}</text>`,
    );
  }
  for (const s of SERIES) {
    const points = t.buckets
      .map((b, k) => `${f(x((k + 0.5) * t.bucketMs))},${f(y(b[s]))}`)
      .join(' ');
    const total = t.buckets.reduce((sum, b) => sum + b[s], 0);
    parts.push(
      `<polyline class="series s-${s}" data-series="${s}" data-total="${total}" points="${points}"/>`,
    );
  }
  t.workers.forEach((w, k) => {
    const rowY = 10 + TL.chart + 24 + k * TL.row + TL.row / 2;
    parts.push(
      `<text class="lane-name" x="4" y="${rowY + 4}">${esc(w.worker)}</text>`,
      `<line class="lane" x1="${TL.left}" x2="${TL.width - 10}" y1="${rowY}" y2="${rowY}"/>`,
      ...w.crashes.map(
        (at) =>
          `<text class="crash" data-worker="${esc(w.worker)}" x="${f(x(at))}" y="${rowY + 5}" text-anchor="middle">×<title>${esc(`${w.worker} ${m.html.legend.crash} · ${Math.round(at)} ms`)}</title></text>`,
      ),
      ...w.restarts.map(
        (at) =>
          `<text class="restart" data-worker="${esc(w.worker)}" x="${f(x(at))}" y="${rowY + 5}" text-anchor="middle">↻<title>${esc(`${w.worker} ${m.html.legend.restart} · ${Math.round(at)} ms`)}</title></text>`,
      ),
    );
  });
  const keys = SERIES.map((s) => `<span class="key s-${s}"><i></i>${esc(h.series[s])}</span>`).join(
    ' ',
  );
  const runFaults = run.report.faults
    .filter((fault) => fault.type === 'drop' || fault.type === 'delay' || fault.type === 'crash')
    .map((fault) => describeFaultIn(fault, m));
  return `<p class="note">${esc(h.timelineHelp({ bucketMs: t.bucketMs }))}${runFaults.length ? ` ${esc(h.runFaults({ faults: runFaults.join(', ') }))}` : ''}</p>
<p class="legend">${keys}</p>
<svg class="timeline" width="${TL.width}" height="${height}" viewBox="0 0 ${TL.width} ${height}">${parts.join('')}</svg>`;
}

/** A comparison: the table of the terminal's `compare`, and lost and duplicates as bars. */
function comparison(runs: readonly RunModel[], m: Catalog): string {
  const h = m.html;
  const c = m.compareColumns;
  const expected = (run: RunModel) =>
    (run.report as { expectations?: ExpectationResult[] }).expectations ?? [];
  const showExpect = runs.some((run) => expected(run).length > 0);
  const head = [
    c.semantics,
    c.transport,
    c.sent,
    c.retries,
    c.delivered,
    c.executed,
    c.duplicates,
    c.acked,
    c.lost,
    c.verdict,
    ...(showExpect ? [c.expect] : []),
  ];
  const rows = runs.map((run, i) => {
    const r = run.report;
    const verdict =
      r.verdict.held === null ? m.noVerdictCell : r.verdict.held ? m.heldCell : m.brokenCell;
    const cells = [
      r.sent,
      r.retries,
      r.delivered,
      r.executed,
      r.duplicateExecutions,
      r.acked,
      r.lost,
    ]
      .map((v) => `<td class="num">${v}</td>`)
      .join('');
    return `<tr data-run="${i}"><th><a href="#run-${i}-diagram">${esc(r.semantics)}</a></th><td>${esc(r.transport)}</td>${cells}<td class="${r.verdict.held === false ? 'bad' : ''}">${esc(verdict)}</td>${showExpect ? expectCell(expected(run), m) : ''}</tr>`;
  });
  const most = Math.max(
    1,
    ...runs.flatMap((run) => [run.report.lost, run.report.duplicateExecutions]),
  );
  const group = 110;
  const chart = 140;
  const width = 40 + runs.length * group;
  const bars = runs.map((run, i) => {
    const r = run.report;
    const x0 = 40 + i * group + 14;
    const bar = (value: number, dx: number, cls: string): string => {
      const height = (value / most) * chart;
      return `<rect class="bar ${cls}" data-run="${i}" data-value="${value}" x="${x0 + dx}" y="${10 + chart - height}" width="36" height="${f(height)}"><title>${esc(`${r.semantics}: ${value}`)}</title></rect><text class="tick" x="${x0 + dx + 18}" y="${6 + chart - height}" text-anchor="middle">${value}</text>`;
    };
    return `${bar(r.lost, 0, 'lost')}${bar(r.duplicateExecutions, 40, 'duplicate')}<a href="#run-${i}-diagram"><text class="bar-label" x="${x0 + 38}" y="${chart + 28}" text-anchor="middle">${esc(shortName(r.semantics))}</text><text class="bar-link" x="${x0 + 38}" y="${chart + 42}" text-anchor="middle">${esc(h.openRun)}</text></a>`;
  });
  return `<section id="comparison"><h2>${esc(h.comparison)}</h2>
<p class="note">${esc(m.compareHeader(runs[0]?.report ?? ({} as never)))}</p>
<table class="compare"><tr>${head.map((x) => `<th>${esc(x)}</th>`).join('')}</tr>${rows.join('')}</table>
<h3>${esc(h.barsTitle)}</h3>
<p class="legend"><span class="key lost"><i></i>${esc(h.lostBar)}</span> <span class="key duplicate"><i></i>${esc(h.duplicateBar)}</span></p>
<svg class="bars" width="${width}" height="${chart + 52}" viewBox="0 0 ${width} ${chart + 52}"><line class="axis" x1="36" x2="${width}" y1="${10 + chart}" y2="${10 + chart}"/>${bars.join('')}</svg>
<ul class="promises">${runs.map((run) => `<li><b>${esc(run.report.semantics)}</b>: ${esc(m.promises[run.report.semantics])} · ${esc(verdictReason(run.report, m))}</li>`).join('')}</ul>
</section>`;
}

function expectCell(results: readonly ExpectationResult[], m: Catalog): string {
  if (results.length === 0) return '<td></td>';
  const met = results.every((r) => r.met);
  return `<td class="${met ? '' : 'bad'}">${esc(met ? m.metCell : m.missedCell)}</td>`;
}

function shortName(semantics: string): string {
  return semantics.length > 14
    ? semantics.replace('exactly-once', 'e-o').replace('at-most-once', 'a-m-o')
    : semantics;
}

function f(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Text for HTML content and attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** JSON that cannot end its <script> element early, whatever strings it holds. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
:root { --work:#2563eb; --retry:#7c3aed; --ack:#059669; --drop:#dc2626; --effect:#0f766e;
  --dup:#d97706; --crash:#dc2626; --restart:#2563eb; --timeout:#6b7280; --ink:#1f2937; --dim:#6b7280; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 1em 2em 4em; max-width: 1200px; }
h1 { font-size: 1.5em; margin: .2em 0; } h2 { font-size: 1.25em; display: inline; } h3 { margin: 1.4em 0 .4em; }
.note { color: var(--dim); margin: .3em 0; } .truncated { background: #fef3c7; padding: .4em .7em; border-radius: 4px; }
table { border-collapse: collapse; margin: .5em 0; } th, td { padding: 2px 10px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td.meaning { color: var(--dim); }
table.workers th, table.compare th { border-bottom: 1px solid #d1d5db; }
.bad { color: var(--drop); font-weight: 600; } .warn { color: var(--dup); font-weight: 600; }
.badge { font-weight: 700; padding: 1px 8px; border-radius: 4px; color: #fff; }
.badge.held { background: #059669; } .badge.broken { background: #dc2626; } .badge.none { background: #d97706; }
.reason { margin-left: 4.6em; }
ol.anomalies { max-height: 16em; overflow: auto; border: 1px solid #e5e7eb; padding: .4em 2.4em; }
ol.anomalies li.lost .outcome { color: var(--drop); font-weight: 600; }
ol.anomalies li.duplicate .outcome { color: var(--dup); font-weight: 600; }
.controls { display: flex; gap: .5em; align-items: center; flex-wrap: wrap; margin: .4em 0; }
.controls input { width: 6em; } .controls .view { color: var(--dim); }
.legend { display: flex; gap: 1em; flex-wrap: wrap; font-size: .9em; color: var(--dim); margin: .3em 0; }
.key i { display: inline-block; width: 14px; height: 4px; margin-right: 4px; vertical-align: middle; background: currentColor; }
.key.work { color: var(--work); } .key.retry { color: var(--retry); } .key.ack { color: var(--ack); }
.key.dropped { color: var(--drop); } .key.execute { color: var(--effect); } .key.duplicate { color: var(--dup); }
.key.crash { color: var(--crash); } .key.restart { color: var(--restart); } .key.timeout { color: var(--timeout); }
.key.lost { color: var(--drop); }
.diagram { overflow-x: auto; border: 1px solid #e5e7eb; border-radius: 4px; min-height: 60px; }
svg text { font-size: 11px; fill: var(--dim); } .lane-name { font-weight: 600; fill: var(--ink); font-size: 12px; }
.lane { stroke: #9ca3af; stroke-width: 1; } .grid { stroke: #f3f4f6; }
.arrow .shaft { stroke-width: 1.4; } .arrow .hit { stroke: transparent; stroke-width: 9; }
.arrow.work .shaft { stroke: var(--work); } .arrow.retry .shaft { stroke: var(--retry); }
.arrow.ack .shaft { stroke: var(--ack); } .arrow.dropped .shaft { stroke: var(--drop); stroke-dasharray: 4 3; }
.arrow.anomalous .shaft { stroke-width: 2.4; } .arrow:hover .shaft { stroke-width: 3.5; }
.head.work { fill: var(--work); } .head.retry { fill: var(--retry); } .head.ack { fill: var(--ack); }
.cross { stroke: var(--drop); stroke-width: 2.4; fill: none; }
.mark { fill: #9ca3af; cursor: pointer; } .mark.k-execute { fill: var(--effect); } .mark.k-duplicate { fill: var(--dup); }
.mark.k-restart { fill: var(--restart); } .mark.k-timeout, .mark.k-give-up { fill: var(--timeout); }
.mark.k-delay-work, .mark.k-delay-ack { fill: #f59e0b; } .mark.k-live-on, .mark.k-live-off { fill: #a855f7; }
.anomaly-band { fill: #d97706; cursor: zoom-in; } .anomaly-band.lost { fill: #dc2626; }
.anomaly-band .band-label { fill: inherit; font-weight: 600; font-size: 10px; }
svg.focus .arrow:not(.hl), svg.focus .mark:not(.hl) { opacity: .15; }
.timeline .series { fill: none; stroke-width: 1.6; } .s-sent { stroke: var(--work); color: var(--work); }
.s-retries { stroke: var(--retry); color: var(--retry); } .s-acked { stroke: var(--ack); color: var(--ack); }
.s-effects { stroke: var(--effect); color: var(--effect); } .s-faults { stroke: var(--drop); color: var(--drop); }
.timeline .window { fill: #fee2e2; } .axis { stroke: #9ca3af; }
.timeline .crash { fill: var(--crash); font-size: 15px; } .timeline .restart { fill: var(--restart); font-size: 13px; }
.bars .bar.lost { fill: var(--drop); } .bars .bar.duplicate { fill: var(--dup); } .bar-link { fill: var(--work); text-decoration: underline; }
details > summary { cursor: pointer; margin: 1em 0 .3em; }
section.run { border-top: 1px solid #e5e7eb; margin-top: 1.5em; }
#tip { position: absolute; max-width: 360px; background: #111827; color: #fff; padding: 4px 8px;
  border-radius: 4px; font-size: 13px; pointer-events: none; z-index: 10; }
`;
