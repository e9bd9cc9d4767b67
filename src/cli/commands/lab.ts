import { Command, CommanderError } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { RUN_DEFAULTS } from '../../core/defaults.js';
import { SEMANTICS_NAMES } from '../../core/semantics.js';
import { renderComparison } from '../../report/render-compare.js';
import { messages } from '../../i18n/catalog.js';
import {
  lessonText,
  renderExpectations,
  renderScenarioHeader,
} from '../../report/render-scenario.js';
import type { RunReport } from '../../report/run-report.js';
import { renderRunReport } from '../../report/render-table.js';
import { bundledScenarioNames } from '../../scenario/names.js';
import type { Scenario } from '../../scenario/schema.js';
import { InterruptedError, SemlabError } from '../../shared/errors.js';
import { TRANSPORT_NAMES } from '../../transports/registry.js';
import { usageErrorFromCommander } from '../commander-errors.js';
import { writeReportsHtml } from '../html-file.js';
import { findOpener, openWith } from '../opener.js';
import { addRunFlags } from '../run-flags.js';
import type { RunFlags } from '../run-options.js';
import { adHocScenario, executeAll, planScenarioRuns } from '../scenario-runs.js';
import { colourFor } from '../terminal.js';

/** What the lab runs next: a lesson (or a run built from the menus), plus the knobs changed. */
interface LabRun {
  scenario: Scenario;
  /** A bundled lesson (its header and expectations are shown), or a run built here. */
  lesson: boolean;
  flags: RunFlags;
}

/**
 * The interactive lab, `semlab` with no arguments on a terminal: pick a lesson or build a run from
 * menus, watch it live (the live view's keys inject faults), read the results, then run it again,
 * change one knob, or compare all five semantics under the same faults. Menus take a number or a
 * letter and Enter, so they work on any terminal and in a class's shared screen.
 */
export function labCommand() {
  return new Command('lab')
    .description('the interactive lab: pick a lesson or build a run, watch it live, change a knob')
    .addHelpText(
      'after',
      '\n`semlab` with no arguments on a terminal opens it too. During a run, keys inject faults:\nc crash a worker, d drop work, a drop acks, s slow acks, p pause, q stop the run.\n',
    )
    .action(async () => {
      await runLab(process.stdin, process.stdout);
    });
}

export async function runLab(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<void> {
  const colour = colourFor(output);
  const say = (text = ''): boolean => output.write(text + '\n');
  /** One question at a time: between questions the live view owns the keyboard. */
  const ask = async (question: string): Promise<string | undefined> => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      return (await rl.question(colour.bold(question))).trim();
    } catch {
      return undefined; // Ctrl-D or Ctrl-C at a prompt: leave the lab.
    } finally {
      rl.close();
    }
  };

  const t = messages().lab;
  say(colour.bold('semlab lab') + colour.dim(t.banner));
  for (;;) {
    const next = await chooseRun(ask, say, colour);
    if (!next) break;
    let run: LabRun | undefined = next;
    const page: LabPage = {};
    while (run) {
      page.file = await execute(run, say, colour, false);
      run = await afterRun(run, ask, say, colour, page);
    }
  }
  say(t.bye);
}

/** The HTML report of the lab's last run (or comparison), which the key `o` opens. */
interface LabPage {
  file?: string;
}

type Ask = (question: string) => Promise<string | undefined>;
type Say = (text?: string) => boolean;
type Colour = ReturnType<typeof colourFor>;

async function chooseRun(ask: Ask, say: Say, colour: Colour): Promise<LabRun | undefined> {
  const t = messages().lab;
  const { loadScenario } = await import('../../scenario/load.js');
  const lessons = bundledScenarioNames().map((name) => loadScenario(name).scenario);
  say();
  say(colour.bold(t.lessons));
  lessons.forEach((lesson, i) =>
    say(
      `  ${String(i + 1).padStart(2)}  ${lesson.name.padEnd(26)} ${colour.dim(lessonText(lesson).title)}`,
    ),
  );
  say(`   b  ${t.build}`);
  say(`   q  ${t.quit}`);
  for (;;) {
    const answer = await ask(t.pickLesson);
    if (answer === undefined || answer === 'q') return undefined;
    if (answer === 'b') return buildRun(ask, say, colour);
    const lesson = lessons[Number(answer) - 1];
    if (lesson && /^\d+$/.test(answer)) return { scenario: lesson, lesson: true, flags: {} };
    say(colour.red(t.notOnList({ answer })));
  }
}

async function buildRun(ask: Ask, say: Say, colour: Colour): Promise<LabRun | undefined> {
  const t = messages().lab;
  say(colour.bold(t.semantics));
  SEMANTICS_NAMES.forEach((name, i) => say(`  ${i + 1}  ${name}`));
  const pick = await ask(t.pickSemantics);
  if (pick === undefined) return undefined;
  const semantics = SEMANTICS_NAMES[Number(pick || '2') - 1] ?? 'at-least-once';
  const transport = (await ask(`${t.transport} (${TRANSPORT_NAMES.join(', ')}) [zmq]: `)) || 'zmq';
  const workers =
    (await ask(`${t.workers} [${RUN_DEFAULTS.workers}]: `)) || `${RUN_DEFAULTS.workers}`;
  const count =
    (await ask(`${t.messages} [${RUN_DEFAULTS.messages}]: `)) || `${RUN_DEFAULTS.messages}`;
  say(colour.dim(t.faultsHint));
  const faults = (await ask(t.faults)) ?? '';
  const flags = parseFlagText(
    `--transport ${transport} --workers ${workers} --messages ${count} ${faults}`,
  );
  if (flags instanceof Error) {
    say(colour.red(flags.localizedMessage()));
    return buildRun(ask, say, colour);
  }
  return { scenario: adHocScenario('lab', semantics), lesson: false, flags };
}

/** After a run: the same again, one knob changed, all five semantics side by side, or back. */
async function afterRun(
  run: LabRun,
  ask: Ask,
  say: Say,
  colour: Colour,
  page: LabPage,
): Promise<LabRun | undefined> {
  const t = messages().lab;
  say(colour.dim(t.afterRun));
  for (;;) {
    const answer = await ask(t.pickAfterRun);
    if (answer === undefined || answer === 'm' || answer === 'q') return undefined;
    if (answer === 'r') return run;
    if (answer === 'c') {
      page.file = (await execute(run, say, colour, true)) ?? page.file;
      continue;
    }
    if (answer === 'o') {
      await openReport(page.file, say, colour);
      continue;
    }
    if (answer === 'k') {
      const text = await ask(t.knob);
      if (!text) continue;
      const flags = parseFlagText(text);
      if (flags instanceof Error) {
        say(colour.red(flags.localizedMessage()));
        continue;
      }
      return { ...run, flags: { ...run.flags, ...flags } };
    }
    say(colour.red(t.notAChoice({ answer })));
  }
}

/**
 * Runs the lab's current choice (or, compared, all five semantics), prints the results and writes
 * their HTML report; returns the report's file, or undefined when the run did not end.
 */
async function execute(
  run: LabRun,
  say: Say,
  colour: Colour,
  compared: boolean,
): Promise<string | undefined> {
  try {
    const semantics = compared ? [...SEMANTICS_NAMES] : [run.scenario.semantics].flat();
    const runs = planScenarioRuns(run.scenario, run.flags, semantics);
    if (run.lesson && !compared) say('\n' + renderScenarioHeader(run.scenario, colour) + '\n');
    const reports = await executeAll(runs, run.lesson ? run.scenario : undefined);
    if (compared) {
      say(renderComparison(reports, colour));
    } else {
      for (const report of reports) {
        say(renderRunReport(report, colour));
        if (report.expectations?.length) say(renderExpectations(report.expectations, colour));
      }
    }
    return await writeLabReport(reports, say, colour);
  } catch (error) {
    // A run stopped with q, a bad knob, a service that is not there: said, and back to the menu.
    if (error instanceof InterruptedError) say(colour.yellow(messages().lab.stopped));
    else if (error instanceof SemlabError) say(colour.red(error.localizedMessage()));
    else throw error;
    return undefined;
  }
}

/**
 * The HTML report of what just ran (issue 12), kept in the run folder (the last run's, for a
 * lesson of several semantics or a comparison: the page compares them) and named in one line.
 */
async function writeLabReport(
  reports: readonly RunReport[],
  say: Say,
  colour: Colour,
): Promise<string | undefined> {
  const last = reports.at(-1);
  if (!last) return undefined;
  const file = join(last.runDir, reports.length > 1 ? 'compare.html' : 'report.html');
  await writeReportsHtml(file, reports);
  say(colour.dim(messages().html.labWritten({ file })));
  return file;
}

/** The key `o`: the last report in the desktop's browser, or one line saying why not. */
async function openReport(file: string | undefined, say: Say, colour: Colour): Promise<void> {
  const h = messages().html;
  if (!file) {
    say(colour.yellow(h.labNoReport));
    return;
  }
  const opener = findOpener();
  if (!opener || !(await openWith(opener, file))) {
    say(colour.yellow(h.labNoOpener({ file })));
    return;
  }
  say(colour.dim(h.labOpening({ file, opener })));
}

/** "--seed 9 --drop-ack 0.2" as `semlab run` would take them, checked the same way. */
function parseFlagText(text: string): RunFlags | SemlabError {
  const parser = addRunFlags(new Command('knobs'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    parser.parse(text.split(/\s+/).filter(Boolean), { from: 'user' });
  } catch (error) {
    // commander's own words are two lines; the same one line `semlab run` would print.
    if (error instanceof CommanderError) return usageErrorFromCommander(error, 'semlab run --help');
    throw error;
  }
  const { live: _live, ...flags } = parser.opts() as RunFlags;
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as RunFlags;
}
