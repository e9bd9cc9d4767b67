import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/journal.js';
import type { RunReport } from '../../src/report/run-report.js';
import { makeSemlabHome, runJson, runSemlab } from '../support/semlab.js';

/** Debian's chromium (installed by scripts/setup), the first one on PATH. */
const CHROMIUM = (process.env.PATH ?? '')
  .split(':')
  .flatMap((dir) => [join(dir, 'chromium'), join(dir, 'chromium-browser')])
  .find((path) => existsSync(path));

/**
 * The HTML report opened in a real headless Chromium, offline: what the page shows is checked
 * from its DOM against the run's --json and against the raw journal lines, and the page must
 * load with no console error and no request but its own file.
 */
describe('the HTML report in a real browser', () => {
  const { home, cleanup } = makeSemlabHome();
  let browser: Browser;
  let page: Page;
  /** Every URL the page requested, the document's own included. */
  const requests: string[] = [];
  /** Console errors (a Content-Security-Policy violation is one) and uncaught exceptions. */
  const errors: string[] = [];
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
    if (!CHROMIUM) throw new Error('chromium is not installed: run scripts/setup');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // The DevTools protocol on a pipe: the browser opens no port.
      pipe: true,
      defaultViewport: { width: 1280, height: 900 },
      args: [
        // Chromium's sandbox refuses to start as root (the CI container runs as root).
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        // Nothing could be fetched even if the page tried: no proxy answers, no name resolves.
        '--proxy-server=127.0.0.1:9',
        '--host-resolver-rules=MAP * ~NOTFOUND',
      ],
    });
    page = await browser.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${String(error)}`));
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

  /** The value of an expression in the page (a promise is awaited). */
  const evaluate = <T = unknown>(expression: string): Promise<T> =>
    page.evaluate(expression) as Promise<T>;

  /**
   * Whether an expression becomes true in the page within 5 s (what a click sets off, a
   * hashchange, runs after the click returns): checked each frame.
   */
  const waitFor = (expression: string): Promise<boolean> =>
    page.waitForFunction(expression, { polling: 'raf', timeout: 5000 }).then(
      () => true,
      () => false,
    );

  const count = (selector: string): Promise<number> =>
    evaluate<number>(`document.querySelectorAll(${JSON.stringify(selector)}).length`);

  /** The centre of an element in viewport coordinates, scrolled into view first. */
  const centreOf = (expression: string): Promise<{ x: number; y: number }> =>
    evaluate(`(() => {
      const el = ${expression};
      el.scrollIntoView({ block: 'center', inline: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })()`);

  it('shows the counts, and an arrow or mark for every message, drop, crash and effect', async () => {
    const url = pathToFileURL(file).href;
    await page.goto(url);
    // The counts table holds the --json numbers.
    const fields = await evaluate<Record<string, number>>(`Object.fromEntries(
      [...document.querySelectorAll('table.counts tr')].map((tr) =>
        [tr.dataset.field, Number(tr.querySelector('td').dataset.value)]))`);
    for (const field of ['messages', 'sent', 'retries', 'delivered', 'executed', 'acked', 'lost'])
      expect(fields[field], field).toBe(report[field as keyof RunReport]);
    expect(fields.duplicateExecutions).toBe(report.duplicateExecutions);
    expect(await evaluate('document.querySelector(".badge").dataset.held')).toBe(
      String(report.verdict.held),
    );
    // The page's data block reads back as the run's report.
    const data = await evaluate<{ runs: { report: RunReport }[] }>(
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
    const totals = await evaluate<Record<string, number>>(`Object.fromEntries(
      [...document.querySelectorAll('.timeline .series')].map((p) =>
        [p.dataset.series, Number(p.dataset.total)]))`);
    expect(totals.sent! + totals.retries!).toBe(report.sent);
    expect(totals.effects).toBe(report.executed);
    expect(await count('.timeline text.crash')).toBe(crashes);

    // Hovering an arrow shows its event (arrows cross in the run view: the one on top).
    const arrow = await centreOf('document.querySelector(".diagram g.arrow.work .hit")');
    await page.mouse.move(arrow.x, arrow.y);
    const tip = await evaluate<{ hidden: boolean; text: string; expected?: string }>(`({
      hidden: document.getElementById('tip').hidden,
      text: document.getElementById('tip').textContent,
      expected: document.elementFromPoint(${arrow.x}, ${arrow.y}).closest('g.arrow')?.dataset.text })`);
    expect(tip.hidden).toBe(false);
    expect(tip.text).toBe(tip.expected);
    expect(tip.text).toMatch(/ms · epoch (\d+) sent \(attempt \d\) → w\d received epoch \1 /);

    // Clicking an anomaly zooms the diagram to its epoch, and only its epoch.
    const epoch = await evaluate<number>(
      'Number(document.querySelector("ol.anomalies a").dataset.epoch)',
    );
    // Pointing at it in the list highlights its arrows and marks, and fades the rest.
    const item = await centreOf('document.querySelector("ol.anomalies li")');
    await page.mouse.move(item.x, item.y);
    expect(await waitFor(`document.querySelector('.diagram svg.focus') !== null`)).toBe(true);
    const lit = await evaluate<string[]>(
      '[...document.querySelectorAll(".diagram .hl")].map((g) => g.dataset.epoch)',
    );
    expect(lit.length).toBeGreaterThan(3);
    expect(new Set(lit)).toEqual(new Set([String(epoch)]));
    const link = await centreOf('document.querySelector("ol.anomalies a")');
    await page.mouse.click(link.x, link.y);
    expect(
      await waitFor(`document.querySelector('.diagram svg').dataset.view === 'epoch-${epoch}'`),
    ).toBe(true);
    const view = await evaluate<{
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
    await page.mouse.move(own.x, own.y);
    expect(await evaluate('document.getElementById("tip").textContent')).toBe(
      await evaluate('document.querySelector(".diagram g.arrow.work").dataset.text'),
    );

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('speaks pt-BR, and a comparison has its bars and each run one click away', async () => {
    requests.length = 0;
    const pt = join(home, 'pt.html');
    const made = await runSemlab(['--lang', 'pt-BR', 'report', report.runId, '--out', pt], home);
    expect(made.code).toBe(0);
    expect(made.stdout.trim()).toBe(`relatório: ${pt}`);
    const ptUrl = pathToFileURL(pt).href;
    await page.goto(ptUrl);
    expect(await evaluate('document.documentElement.lang')).toBe('pt-BR');
    expect(await evaluate('document.querySelector("h3").textContent')).toBe('Resumo');
    expect(await evaluate('document.querySelector(".diagram g.arrow.work").dataset.text')).toMatch(
      /época \d+ enviada \(tentativa 1\) → w\d recebeu a época/,
    );

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
    await page.goto(compareUrl);
    const bars = await evaluate<{ lost: number[]; duplicate: number[] }>(`({
      lost: [...document.querySelectorAll('.bars .bar.lost')].map((b) => Number(b.dataset.value)),
      duplicate: [...document.querySelectorAll('.bars .bar.duplicate')].map((b) => Number(b.dataset.value)) })`);
    expect(bars.lost).toEqual(reports.map((r) => r.lost));
    expect(bars.duplicate).toEqual(reports.map((r) => r.duplicateExecutions));
    expect(bars.lost[0]! + bars.duplicate[1]!).toBeGreaterThan(0);
    // Each run's diagram waits folded; its link opens and draws it.
    expect(await count('.diagram svg')).toBe(0);
    const link = await centreOf('document.querySelectorAll(".bars a")[1]');
    await page.mouse.click(link.x, link.y);
    expect(await waitFor(`document.querySelector('#run-1 .diagram svg') !== null`)).toBe(true);
    const opened = await evaluate<{ hash: string; open: boolean; arrows: number }>(`({
      hash: location.hash,
      open: document.querySelector('#run-1 details').open,
      arrows: document.querySelectorAll('#run-1 .diagram g.arrow').length })`);
    expect(opened).toEqual({ hash: '#run-1-diagram', open: true, arrows: expect.any(Number) });
    expect(opened.arrows).toBeGreaterThanOrEqual(reports[1]!.delivered);

    expect(errors).toEqual([]);
    expect(requests).toEqual([ptUrl, compareUrl]);
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
