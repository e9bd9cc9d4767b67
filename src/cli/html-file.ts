import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { messages } from '../i18n/catalog.js';
import { currentLanguage } from '../i18n/language.js';
import { buildHtmlReport } from '../report/html-load.js';
import { inspectRun, traceableRun } from '../report/run-history.js';
import type { RunReport } from '../report/run-report.js';
import { InfrastructureError, UsageError } from '../shared/errors.js';
import { systemFailure } from '../shared/system-error.js';

/**
 * `--html FILE` (run, compare) and `semlab report --out FILE`: the file is checked before any run
 * starts (found only afterwards, a bad path would cost the whole run), then written at the end.
 */
export function checkHtmlFile(flag: string, file: string): void {
  const h = messages().html;
  const folder = dirname(resolve(file));
  if (!isFolder(folder)) throw new UsageError(h.outNoFolder({ flag, folder }));
  if (isFolder(file)) throw new UsageError(h.outIsFolder({ flag, file }));
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(h.outNotWritten({ file, code: systemFailure(error)?.code ?? 'EACCES' }));
  }
}

/** The report of these runs (one: a run's report; several: a comparison) written to `file`. */
export async function writeReportsHtml(file: string, reports: readonly RunReport[]): Promise<void> {
  const runs = reports.map((report) => {
    const entry = inspectRun(report.runDir);
    if (!entry) throw new InfrastructureError(`the run folder ${report.runDir} vanished`);
    return { run: traceableRun(entry), report };
  });
  const html = await buildHtmlReport(runs, messages(), currentLanguage());
  try {
    writeFileSync(file, html);
  } catch (error) {
    const code = systemFailure(error)?.code ?? 'EIO';
    throw new InfrastructureError(messages().html.outNotWritten({ file, code }), { cause: error });
  }
}

/** `--html FILE` of run and compare: the page of the run(s), and one line on stderr naming it. */
export async function writeHtml(
  flags: { html?: string },
  reports: readonly RunReport[],
): Promise<void> {
  if (!flags.html) return;
  await writeReportsHtml(flags.html, reports);
  process.stderr.write(`${messages().html.written({ file: flags.html })}\n`);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
