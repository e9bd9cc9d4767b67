import { Command, CommanderError } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { RUN_DEFAULTS } from '../../core/defaults.js';
import { SEMANTICS_NAMES, type SemanticsName } from '../../core/semantics.js';
import { renderComparison } from '../../report/render-compare.js';
import { localized, messages } from '../../i18n/catalog.js';
import { currentLanguage } from '../../i18n/language.js';
import { renderExpectations, renderScenarioHeader } from '../../report/render-scenario.js';
import type { RunReport } from '../../report/run-report.js';
import { renderRunReport } from '../../report/render-table.js';
import { courseLessons } from '../../scenario/course.js';
import type { Scenario, ScenarioVariant } from '../../scenario/schema.js';
import { InterruptedError, SemlabError, UsageError } from '../../shared/errors.js';
import { TRANSPORT_NAMES } from '../../transports/registry.js';
import { usageErrorFromCommander } from '../commander-errors.js';
import { writeReportsHtml } from '../html-file.js';
import { findOpener, openWith } from '../opener.js';
import { addRunFlags } from '../run-flags.js';
import { parseRunFlags, type RunFlags } from '../run-options.js';
import { adHocScenario, executeAll, planScenarioRuns, withVariant } from '../scenario-runs.js';
import { renderLessonList, within80 } from './class.js';
import { fitItems } from '../live-words.js';
import { colourFor } from '../terminal.js';
import { renderStopped } from '../run-stopped.js';

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
 * change one knob, or compare all five semantics under the same faults. Letters in menus are single
 * keys; numbers (a lesson's) are typed and ended with Enter, as are answers in the run builder.
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
  // A projector is 80 columns: long lines (errors, hints) wrap at words, tables already fit.
  const say = (text = ''): boolean => output.write(within80(text) + '\n');
  /** One question at a time: between questions the live view owns the keyboard. */
  const ask = async (question: string): Promise<string | undefined> => {
    await dropTypedAhead(input);
    const rl = createInterface({ input, output, terminal: true });
    try {
      return (await rl.question(colour.bold(question))).trim();
    } catch {
      return undefined; // Ctrl-D or Ctrl-C at a prompt: leave the lab.
    } finally {
      rl.close();
    }
  };

  /** A menu of single keys: no Enter; a key typed during the run before it is not an answer. */
  const key = async (question: string): Promise<string | undefined> => {
    await dropTypedAhead(input);
    if (!input.isTTY) return ask(question);
    output.write(colour.bold(question));
    const pressed = await new Promise<string>((resolve) => {
      input.setRawMode(true);
      input.resume();
      input.once('data', (data: Buffer) => resolve(data.toString('utf8')));
    });
    input.setRawMode(false);
    input.pause();
    // Ctrl-C and Ctrl-D at a menu leave the lab, as at a prompt.
    if (pressed === '\u0003' || pressed === '\u0004') {
      output.write('\n');
      return undefined;
    }
    const shown = pressed.replace(/[\r\n]/g, '');
    output.write(`${shown}\n`);
    return shown.trim();
  };

  /**
   * The lesson menu: a letter is a single key (b, q), a number (up to two digits) is typed and
   * ended with Enter; Backspace takes a digit back. Anything else is answered as typed, with Enter.
   */
  const pick = async (question: string): Promise<string | undefined> => {
    await dropTypedAhead(input);
    if (!input.isTTY) return ask(question);
    output.write(colour.bold(question));
    input.setRawMode(true);
    input.resume();
    try {
      return await new Promise<string | undefined>((resolve) => {
        let typed = '';
        const onData = (data: Buffer): void => {
          for (const ch of data.toString('utf8')) {
            const done = (answer: string | undefined): void => {
              input.off('data', onData);
              output.write('\n');
              resolve(answer);
            };
            // Ctrl-C and Ctrl-D leave the lab, as at a prompt.
            if (ch === '\u0003' || ch === '\u0004') return done(undefined);
            if (typed === '' && /^[a-z]$/i.test(ch)) {
              output.write(ch);
              return done(ch);
            }
            if (ch === '\r' || ch === '\n') return done(typed.trim());
            if (ch === '\u007f' || ch === '\b') {
              if (typed.length > 0) {
                typed = typed.slice(0, -1);
                output.write('\b \b');
              }
              continue;
            }
            if (ch >= ' ') {
              typed += ch;
              output.write(ch);
            }
          }
        };
        input.on('data', onData);
      });
    } finally {
      input.setRawMode(false);
      input.pause();
    }
  };

  const t = messages().lab;
  say(colour.bold('semlab lab') + colour.dim(t.banner));
  for (;;) {
    const next = await chooseRun(pick, ask, say, colour);
    if (!next) break;
    let run: LabRun | undefined = next;
    const page: LabPage = {};
    while (run) {
      page.file = await execute(run, say, colour, false);
      run = await afterRun(run, ask, key, say, colour, page);
    }
  }
  say(t.bye);
}

/** Keys pressed during a run (or at its very end) wait in the input: they are not answers. */
function discardTypedAhead(input: NodeJS.ReadStream): void {
  while (input.readableLength > 0 && input.read() !== null) {
    // Drop it.
  }
}

/** How long a prompt reads and drops what was typed before it: far less than anyone types in. */
const TYPED_AHEAD_MS = 20;

/**
 * Keys typed after the live view let go of the keyboard (while the run is checked and its report
 * printed) wait in the terminal's line buffer, out of Node's sight, and would join the next answer.
 * In raw mode they become readable: read and dropped here, before the prompt is written.
 */
async function dropTypedAhead(input: NodeJS.ReadStream): Promise<void> {
  discardTypedAhead(input);
  if (!input.isTTY) return;
  const wasRaw = input.isRaw;
  const drop = (): void => undefined;
  input.setRawMode(true);
  input.on('data', drop);
  input.resume();
  await new Promise((resolve) => setTimeout(resolve, TYPED_AHEAD_MS));
  input.off('data', drop);
  input.pause();
  input.setRawMode(wasRaw);
  discardTypedAhead(input);
}

/** The HTML report of the lab's last run (or comparison), which the key `o` opens. */
interface LabPage {
  file?: string;
}

type Ask = (question: string) => Promise<string | undefined>;
type Say = (text?: string) => boolean;
type Colour = ReturnType<typeof colourFor>;

async function chooseRun(
  pick: Ask,
  ask: Ask,
  say: Say,
  colour: Colour,
): Promise<LabRun | undefined> {
  const t = messages().lab;
  // The course's order, one line each within 80 columns: the whole list fits a projector.
  const lessons = await courseLessons();
  say(renderLessonList(lessons, colour, { twoColumns: lessons.length > 18 }));
  say(` b  ${t.build}`);
  say(` q  ${t.quit}`);
  for (;;) {
    const answer = await pick(t.pickLesson);
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
  /** Asks until the answer is good: each one checked as typed, never all at the end. */
  const valid = async (
    question: string,
    check: (answer: string) => string | SemlabError,
  ): Promise<string | undefined> => {
    for (;;) {
      const answer = await ask(question);
      if (answer === undefined) return undefined;
      const checked = check(answer);
      if (!(checked instanceof SemlabError)) return checked;
      say(colour.red(checked.localizedMessage()));
    }
  };
  const semantics = await valid(t.pickSemantics, (answer) => {
    const name = SEMANTICS_NAMES[Number(answer || '2') - 1];
    return name && /^\d*$/.test(answer)
      ? name
      : new UsageError(
          localized('notOneOf', { flag: t.semantics, found: answer, allowed: ['1..5'] }),
        );
  });
  if (semantics === undefined) return undefined;
  const asFlag = (flag: string, fallback: string) => (answer: string) => {
    const value = answer || fallback;
    const parsed = parseFlagText(`${flag} ${value}`);
    if (parsed instanceof SemlabError) return parsed;
    try {
      // The same checks as `semlab run` (a known transport, 1..64 workers…).
      parseRunFlags(semantics, parsed, () => 1);
      return value;
    } catch (error) {
      if (error instanceof SemlabError) return error;
      throw error;
    }
  };
  const transport = await valid(
    `${t.transport} (${TRANSPORT_NAMES.join(', ')}) [zmq]: `,
    asFlag('--transport', 'zmq'),
  );
  if (transport === undefined) return undefined;
  const workers = await valid(
    `${t.workers} [${RUN_DEFAULTS.workers}]: `,
    asFlag('--workers', `${RUN_DEFAULTS.workers}`),
  );
  if (workers === undefined) return undefined;
  const count = await valid(
    `${t.messages} [${RUN_DEFAULTS.messages}]: `,
    asFlag('--messages', `${RUN_DEFAULTS.messages}`),
  );
  if (count === undefined) return undefined;
  say(colour.dim(t.faultsHint));
  const flagText = `--transport ${transport} --workers ${workers} --messages ${count}`;
  const faults = await valid(t.faults, (answer) => {
    const parsed = parseFlagText(`${flagText} ${answer}`);
    if (parsed instanceof SemlabError) return parsed;
    try {
      parseRunFlags(semantics as SemanticsName, parsed, () => 1);
      return answer;
    } catch (error) {
      if (error instanceof SemlabError) return error;
      throw error;
    }
  });
  if (faults === undefined) return undefined;
  // A whole command line, spaces and all: taken as typed, never split into flags.
  const workerCmd = (await ask(t.workerCmd))?.trim();
  const flags = parseFlagText(`${flagText} ${faults}`) as RunFlags;
  return {
    scenario: adHocScenario('lab', semantics as SemanticsName),
    lesson: false,
    flags: workerCmd ? { ...flags, workerCmd } : flags,
  };
}

/** After a run: the same again, one knob changed, all five semantics side by side, or back. */
async function afterRun(
  run: LabRun,
  ask: Ask,
  key: Ask,
  say: Say,
  colour: Colour,
  page: LabPage,
): Promise<LabRun | undefined> {
  const t = messages().lab;
  const variants = run.lesson ? (run.scenario.variants ?? []) : [];
  for (const line of fitItems(t.afterRun, 80)) say(colour.dim(line));
  // A lesson's variants by name, instead of a free knob that could replace the lesson's faults.
  variants.forEach((variant, i) =>
    say(colour.dim(`  v${i + 1} ${variant.name}: ${variantTitle(variant)}`)),
  );
  for (;;) {
    const answer = await key(t.pickAfterRun);
    if (answer === 'v' && variants.length > 0) {
      const which = variants.length === 1 ? '1' : await key('v: ');
      const variant = variants[Number(which) - 1];
      if (variant) return { ...run, scenario: withVariant(run.scenario, variant), flags: {} };
      continue;
    }
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

function variantTitle(variant: ScenarioVariant): string {
  const lang = currentLanguage();
  return (lang !== 'en' ? variant.i18n?.[lang]?.title : undefined) ?? variant.title;
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
    if (error instanceof InterruptedError) say(renderStopped(error, colour));
    else if (error instanceof SemlabError) say(colour.red(error.localizedMessage()));
    else throw error;
    return undefined;
  }
}

/**
 * Words as a shell splits them, quotes kept together: `--worker-cmd "python3 w.py"` is one flag
 * and one value (no escapes, no variables: knobs are flags, not scripts).
 */
function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
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
    parser.parse(words(text), { from: 'user' });
  } catch (error) {
    // commander's own words are two lines; the same one line `semlab run` would print.
    if (error instanceof CommanderError) return usageErrorFromCommander(error, 'semlab run --help');
    throw error;
  }
  const { live: _live, ...flags } = parser.opts() as RunFlags;
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as RunFlags;
}
