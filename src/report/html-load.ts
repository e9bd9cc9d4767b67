import type { RunPlan } from '../core/run-plan.js';
import type { Catalog } from '../i18n/catalog.js';
import { journalEvents, readerEffects } from './history.js';
import {
  ReportModelBuilder,
  HTML_MODEL_VERSION,
  type ReportModel,
  type RunModel,
} from './html-model.js';
import { renderHtmlReport } from './render-html.js';
import type { RunReport } from './run-report.js';
import { traceRun, type KeptRun } from './run-history.js';

/**
 * The HTML report's reading side: a kept run's journals and effects, fed to the pure model
 * (./html-model.ts), drawn by ./render-html.ts. Reads twice (the stories first, so the model
 * knows which epochs are anomalous before it keeps events), writes only the HTML file.
 */
export async function loadRunModel(
  run: KeptRun & { plan: RunPlan },
  report: RunReport,
  m: Catalog,
  firstEpochs?: number,
): Promise<RunModel> {
  const { stories } = await traceRun(run);
  const builder = new ReportModelBuilder(run.plan, stories, m, firstEpochs);
  for await (const event of journalEvents(run.runDir)) builder.addEvent(event);
  try {
    for await (const effect of (await readerEffects(run.plan)).effects) builder.addEffect(effect);
  } catch {
    // traceRun already said what it could of the effects; the journals still draw the run.
  }
  return builder.result(report);
}

/** The report page of one run, or of several compared. */
export async function buildHtmlReport(
  runs: readonly { run: KeptRun & { plan: RunPlan }; report: RunReport }[],
  m: Catalog,
  lang: string,
): Promise<string> {
  const models: RunModel[] = [];
  for (const { run, report } of runs) models.push(await loadRunModel(run, report, m));
  const model: ReportModel = {
    version: HTML_MODEL_VERSION,
    kind: models.length > 1 ? 'compare' : 'run',
    lang,
    runs: models,
  };
  return renderHtmlReport(model, m);
}
