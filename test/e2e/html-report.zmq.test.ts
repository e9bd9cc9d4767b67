import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.js';
import type { RunReport } from '../../src/report/run-report.js';
import { Browser } from '../support/browser.js';
import { makeSemlabHome, runJson, runSemlab } from '../support/semlab.js';

/**
 * The HTML report opened in a real headless Chromium, offline: what the page shows is checked
 * from its DOM against the run's --json and against the raw journal lines, and the page must
 * load with no console error and no request but its own file.
 */
describe('the HTML report in a real browser', () => {
  const { home, cleanup } = makeSemlabHome();
  let browser: Browser;
  let report: RunReport;
  let file: string;

  beforeAll(async () => {
    file = join(home, 'run.html');
    // Seeded, small, on the virtual clock: drops both ways and crashes after executing.
    report = await runJson(
      [
        'run',
        'at-least-once',
        '--messages',
        '16',
        '--workers',
        '2',
        '--drop-work',
        '0.1',
        '--drop-ack',
        '0.2',
        '--crash',
        'after-execute@5',
        '--seed',
        '7',
        '--clock',
        'virtual',
        '--html',
        file,
      ],
      home,
    );
    browser = await Browser.launch();
  });
  afterAll(async () => {
    await browser?.close();
    cleanup();
  });

  function rawEvents(runDir: string): JournalEvent[] {
    const dir = join(runDir, 'journal');
    return readdirSync(dir).flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as JournalEvent),
    );
  }

  const count = (selector: string): Promise<number> =>
    browser.evaluate<number>(`document.querySelectorAll(${JSON.stringify(selector)}).length`);

  /** The centre of an element in viewport coordinates, scrolled into view first. */
  const centreOf = (expression: string): Promise<{ x: number; y: number }> =>
    browser.evaluate(`(() => {
      const el = ${expression};
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })()`);

  it('shows the counts, and an arrow or mark for every message, drop, crash and effect', async () => {
    const url = pathToFileURL(file).href;
    await browser.open(url);
    // The counts table holds the --json numbers.
    const fields = await browser.evaluate<Record<string, number>>(`Object.fromEntries(
      [...document.querySelectorAll('table.counts tr')].map((tr) =>
        [tr.dataset.field, Number(tr.querySelector('td').dataset.value)]))`);
    for (const field of ['messages', 'sent', 'retries', 'delivered', 'executed', 'acked', 'lost'])
      expect(fields[field], field).toBe(report[field as keyof RunReport]);
    expect(fields.duplicateExecutions).toBe(report.duplicateExecutions);
    expect(await browser.evaluate('document.querySelector(".badge").dataset.held')).toBe(
      String(report.verdict.held),
    );
    // The page's data block reads back as the run's report.
    const data = await browser.evaluate<{ runs: { report: RunReport }[] }>(
      'JSON.parse(document.getElementById("semlab-report").textContent)',
    );
    expect(data.runs[0]?.report.runId).toBe(report.runId);

    // The diagram, against the run's own journal lines.
    const events = rawEvents(report.runDir);
    const injected = (type: string, direction: string): number =>
      report.faults.find((f) => f.type === type && 'direction' in f && f.direction === direction)
        ?.injected ?? 0;
    const crashes = report.perWorker.reduce((sum, w) => sum + w.crashes, 0);
    expect(crashes).toBeGreaterThan(0);
    expect(report.duplicateExecutions).toBeGreaterThan(0);
    expect(
      await count('.diagram g.arrow.work:not(.dropped), .diagram g.arrow.retry:not(.dropped)'),
    ).toBe(report.delivered);
    expect(await count('.diagram g.arrow.ack:not(.dropped)')).toBe(
      events.filter((e) => e.kind === 'ack').length,
    );
    expect(await count('.diagram g.arrow.dropped[data-kind="work"]')).toBe(
      injected('drop', 'work'),
    );
    expect(await count('.diagram g.arrow.dropped[data-kind="ack"]')).toBe(injected('drop', 'ack'));
    expect(injected('drop', 'ack')).toBeGreaterThan(0);
    // A retry's arrow for each receipt of attempt 2 or later, and each such send dropped.
    expect(await count('.diagram g.arrow.retry')).toBe(
      events.filter(
        (e) =>
          (e.kind === 'receive' && e.attempt > 1) ||
          (e.kind === 'fault' && e.direction === 'work' && e.fault === 'drop' && e.attempt > 1),
      ).length,
    );
    expect(await count('.diagram g.mark.k-crash')).toBe(crashes);
    expect(await count('.diagram g.mark.k-restart')).toBe(
      events.filter((e) => e.kind === 'worker-start' && e.incarnation > 0).length,
    );
    expect(await count('.diagram g.mark.k-duplicate')).toBe(report.duplicateExecutions);
    expect(
      (await count('.diagram g.mark.k-execute')) + (await count('.diagram g.mark.k-duplicate')),
    ).toBe(report.executed);
    // The timeline counts every send, ack and effect once.
    const totals = await browser.evaluate<Record<string, number>>(`Object.fromEntries(
      [...document.querySelectorAll('.timeline .series')].map((p) =>
        [p.dataset.series, Number(p.dataset.total)]))`);
    expect(totals.sent! + totals.retries!).toBe(report.sent);
    expect(totals.effects).toBe(report.executed);
    expect(await count('.timeline text.crash')).toBe(crashes);

    // Hovering an arrow shows its event (arrows cross in the run view: the one on top).
    const arrow = await centreOf('document.querySelector(".diagram g.arrow.work .hit")');
    await browser.hover(arrow.x, arrow.y);
    const tip = await browser.evaluate<{ hidden: boolean; text: string; expected?: string }>(`({
      hidden: document.getElementById('tip').hidden,
      text: document.getElementById('tip').textContent,
      expected: document.elementFromPoint(${arrow.x}, ${arrow.y}).closest('g.arrow')?.dataset.text })`);
    expect(tip.hidden).toBe(false);
    expect(tip.text).toBe(tip.expected);
    expect(tip.text).toMatch(/ms · epoch (\d+) sent \(attempt \d\) → w\d received epoch \1 /);

    // Clicking an anomaly zooms the diagram to its epoch, and only its epoch.
    const epoch = await browser.evaluate<number>(
      'Number(document.querySelector("ol.anomalies a").dataset.epoch)',
    );
    // Pointing at it in the list highlights its arrows and marks, and fades the rest.
    const item = await centreOf('document.querySelector("ol.anomalies li")');
    await browser.hover(item.x, item.y);
    expect(await browser.waitFor(`document.querySelector('.diagram svg.focus') !== null`)).toBe(
      true,
    );
    const lit = await browser.evaluate<string[]>(
      '[...document.querySelectorAll(".diagram .hl")].map((g) => g.dataset.epoch)',
    );
    expect(lit.length).toBeGreaterThan(3);
    expect(new Set(lit)).toEqual(new Set([String(epoch)]));
    const link = await centreOf('document.querySelector("ol.anomalies a")');
    await browser.click(link.x, link.y);
    expect(
      await browser.waitFor(
        `document.querySelector('.diagram svg').dataset.view === 'epoch-${epoch}'`,
      ),
    ).toBe(true);
    const view = await browser.evaluate<{
      hash: string;
      view: string;
      epochs: string[];
      top: number;
    }>(`({
      hash: location.hash,
      view: document.querySelector('.diagram svg').dataset.view,
      epochs: [...document.querySelectorAll('.diagram g.arrow, .diagram g.mark[data-epoch]')].map((g) => g.dataset.epoch),
      top: document.querySelector('.diagram').getBoundingClientRect().top })`);
    expect(view.hash).toBe(`#run-0-epoch-${epoch}`);
    expect(view.view).toBe(`epoch-${epoch}`);
    expect(view.epochs.length).toBeGreaterThan(3);
    expect(new Set(view.epochs)).toEqual(new Set([String(epoch)]));
    expect(view.top).toBeGreaterThanOrEqual(0);
    expect(view.top).toBeLessThan(900);
    // Alone on its lanes, the epoch's first work arrow shows exactly its own event.
    const own = await centreOf('document.querySelector(".diagram g.arrow.work .hit")');
    await browser.hover(own.x, own.y);
    expect(await browser.evaluate('document.getElementById("tip").textContent')).toBe(
      await browser.evaluate('document.querySelector(".diagram g.arrow.work").dataset.text'),
    );

    expect(browser.errors).toEqual([]);
    expect(browser.requests).toEqual([url]);
  });

  it('speaks pt-BR, and a comparison has its bars and each run one click away', async () => {
    browser.requests.length = 0;
    const pt = join(home, 'pt.html');
    const made = await runSemlab(['--lang', 'pt-BR', 'report', report.runId, '--out', pt], home);
    expect(made.code).toBe(0);
    expect(made.stdout.trim()).toBe(`relatório: ${pt}`);
    const ptUrl = pathToFileURL(pt).href;
    await browser.open(ptUrl);
    expect(await browser.evaluate('document.documentElement.lang')).toBe('pt-BR');
    expect(await browser.evaluate('document.querySelector("h3").textContent')).toBe('Resumo');
    expect(
      await browser.evaluate('document.querySelector(".diagram g.arrow.work").dataset.text'),
    ).toMatch(/época \d+ enviada \(tentativa 1\) → w\d recebeu a época/);

    const compareFile = join(home, 'compare.html');
    const compared = await runSemlab(
      [
        'compare',
        '--semantics',
        'at-most-once,at-least-once',
        '--messages',
        '10',
        '--workers',
        '2',
        '--drop-ack',
        '0.3',
        '--seed',
        '5',
        '--clock',
        'virtual',
        '--html',
        compareFile,
        '--json',
      ],
      home,
    );
    expect(compared.code).toBe(0);
    const reports = JSON.parse(compared.stdout) as RunReport[];
    const compareUrl = pathToFileURL(compareFile).href;
    await browser.open(compareUrl);
    const bars = await browser.evaluate<{ lost: number[]; duplicate: number[] }>(`({
      lost: [...document.querySelectorAll('.bars .bar.lost')].map((b) => Number(b.dataset.value)),
      duplicate: [...document.querySelectorAll('.bars .bar.duplicate')].map((b) => Number(b.dataset.value)) })`);
    expect(bars.lost).toEqual(reports.map((r) => r.lost));
    expect(bars.duplicate).toEqual(reports.map((r) => r.duplicateExecutions));
    expect(bars.lost[0]! + bars.duplicate[1]!).toBeGreaterThan(0);
    // Each run's diagram waits folded; its link opens and draws it.
    expect(await count('.diagram svg')).toBe(0);
    const link = await centreOf('document.querySelectorAll(".bars a")[1]');
    await browser.click(link.x, link.y);
    expect(await browser.waitFor(`document.querySelector('#run-1 .diagram svg') !== null`)).toBe(
      true,
    );
    const opened = await browser.evaluate<{ hash: string; open: boolean; arrows: number }>(`({
      hash: location.hash,
      open: document.querySelector('#run-1 details').open,
      arrows: document.querySelectorAll('#run-1 .diagram g.arrow').length })`);
    expect(opened).toEqual({ hash: '#run-1-diagram', open: true, arrows: expect.any(Number) });
    expect(opened.arrows).toBeGreaterThanOrEqual(reports[1]!.delivered);

    expect(browser.errors).toEqual([]);
    expect(browser.requests).toEqual([ptUrl, compareUrl]);
  });

  it('refuses an --html file it could not write, before the run starts', async () => {
    const missing = await runSemlab(
      ['run', 'at-least-once', '--html', join(home, 'no-such-folder', 'r.html')],
      home,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `semlab: --html: the folder '${join(home, 'no-such-folder')}' does not exist; create it or name a file in an existing folder\n`,
    );
    const folder = await runSemlab(
      ['--lang', 'pt-BR', 'report', report.runId, '--out', home],
      home,
    );
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(
      `semlab: --out: '${home}' é uma pasta; indique um arquivo onde escrever o relatório\n`,
    );
    // No run was started for either: the run folders are the three of the tests above.
    expect(readdirSync(join(home, 'runs'))).toHaveLength(3);
  });
});
