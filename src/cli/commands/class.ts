import { Command } from '@commander-js/extra-typings';
import { execFile } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { messages } from '../../i18n/catalog.js';
import { renderComparison } from '../../report/render-compare.js';
import { lessonText, renderExpectations, wrap } from '../../report/render-scenario.js';
import { verdictBadge } from '../../report/render-table.js';
import { courseLessons, servicesOf, type Service } from '../../scenario/course.js';
import type { Scenario } from '../../scenario/schema.js';
import { acceptsConnections } from '../../services/tcp-probe.js';
import { InterruptedError, SemlabError, UsageError } from '../../shared/errors.js';
import { localized } from '../../i18n/catalog.js';
import { closestMatch } from '../../util/suggest.js';
import { executeAll, planScenarioRuns, type ScenarioRunReport } from '../scenario-runs.js';
import { fitItems } from '../live-words.js';
import { colourFor } from '../terminal.js';
import { renderStopped } from '../run-stopped.js';

const SERVICES_SCRIPT = fileURLToPath(new URL('../../../scripts/services', import.meta.url));
const WIDTH = 80;

/**
 * Class mode: the lessons in the order of the course, each with its narration, the class's guess
 * of how many epochs will be lost and executed twice, the runs (one line per result as it comes,
 * then one compact table of all of them), and the guess against what was observed. Sized for a
 * projector: nothing wider than 80 columns.
 */
export function classCommand() {
  return new Command('class')
    .description('class mode: the lessons in the order of the course, a guess before each run')
    .argument('[lesson]', 'the lesson to start at: number or name (default: the first)')
    .option('--list', 'only list the lessons, in the order of the course, and exit')
    .addHelpText(
      'after',
      '\nEach lesson: its narration, the class guesses lost and twice-executed epochs (or Enter to\nskip), the runs of its semantics in a compact table that grows with each result, and the guess\nagainst what was observed. A lesson that needs Redis or Kafka offers to start a local one\n(scripts/services) and stops it when the class ends.\n\nExamples:\n  $ semlab class\n  $ semlab class --list\n  $ semlab class epoch-dedupe\n  $ SEMLAB_LANG=pt-BR semlab class',
    )
    .action(async (lesson, options) => {
      const lessons = await courseLessons();
      const colour = colourFor(process.stdout);
      if (options.list) {
        process.stdout.write(renderLessonList(lessons, colour) + '\n');
        return;
      }
      const start = lesson === undefined ? 0 : lessonIndex(lessons, lesson);
      await runClass(lessons, start, process.stdin, process.stdout);
    });
}

function lessonIndex(lessons: readonly Scenario[], text: string): number {
  const byNumber = /^\d+$/.test(text) ? Number(text) - 1 : -1;
  const index = byNumber >= 0 ? byNumber : lessons.findIndex((l) => l.name === text);
  if (index >= 0 && index < lessons.length) return index;
  const names = lessons.map((l) => l.name);
  throw new UsageError(
    localized('notOneOf', {
      flag: 'semlab class',
      found: text,
      suggestion: closestMatch(text, names),
      allowed: [`1..${lessons.length}`, ...names],
    }),
  );
}

/** One line a lesson: number, the server it needs, name, title (cut to 80 columns). */
export function renderLessonList(
  lessons: readonly Scenario[],
  colour: ReturnType<typeof colourFor>,
  options: { twoColumns?: boolean } = {},
): string {
  const t = messages().classMode;
  const lines = [colour.bold(t.listTitle)];
  if (options.twoColumns) {
    // Names only, in two columns read top to bottom: every lesson on a projector's 24 rows,
    // beside the menu's own lines. `semlab scenarios` gives their titles.
    const entry = (i: number): string => {
      const lesson = lessons[i];
      if (!lesson) return '';
      const needs = servicesOf(lesson);
      const mark = needs.length > 0 ? `[${needs.join('+')}]` : '';
      return `${String(i + 1).padStart(2)} ${mark.padEnd(7)} ${lesson.name}`;
    };
    const rows = Math.ceil(lessons.length / 2);
    for (let row = 0; row < rows; row++) {
      const left = entry(row);
      const right = entry(row + rows);
      lines.push(right ? `${left.padEnd(WIDTH / 2)}${right}`.trimEnd() : left);
    }
    return lines.join('\n');
  }
  lessons.forEach((lesson, i) => {
    const needs = servicesOf(lesson);
    const mark = needs.length > 0 ? `[${needs.join('+')}]` : '';
    const head = `${String(i + 1).padStart(2)} ${mark.padEnd(7)} ${lesson.name.padEnd(25)} `;
    const room = WIDTH - head.length;
    const title = lessonText(lesson).title;
    const shown = title.length > room ? `${title.slice(0, room - 1)}…` : title;
    lines.push(`${head.replace(lesson.name, colour.bold(lesson.name))}${colour.dim(shown)}`);
  });
  return lines.join('\n');
}

interface Guess {
  lost?: number;
  twice?: number;
}

export async function runClass(
  lessons: readonly Scenario[],
  start: number,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<void> {
  const colour = colourFor(output);
  const t = messages().classMode;
  const say = (text = ''): boolean => output.write(within80(text) + '\n');
  const ask = async (question: string): Promise<string | undefined> => {
    const rl = createInterface({ input, output, terminal: input.isTTY === true });
    try {
      return (await rl.question(colour.bold(question))).trim();
    } catch {
      return undefined;
    } finally {
      rl.close();
    }
  };
  const started: Service[] = [];
  say(colour.bold('semlab class') + colour.dim(t.banner));
  say(renderLessonList(lessons, colour));
  try {
    const first = await ask(t.pickStart);
    if (first === undefined || first === 'q') return;
    let index = first === '' ? start : lessonIndexOr(lessons, first, start);
    while (index < lessons.length) {
      const lesson = lessons[index] as Scenario;
      say();
      say(
        colour.bold(`${t.lessonOf({ index: index + 1, count: lessons.length })} · ${lesson.name}`),
      );
      const { title, description } = lessonText(lesson);
      for (const line of wrap(title, WIDTH - 2)) say(colour.bold(`  ${line}`));
      for (const line of wrap(description.trim(), WIDTH - 4)) say(`  ${line}`);
      const ready = await servicesReady(lesson, ask, say, colour, started);
      if (ready) await teach(lesson, ask, say, colour);
      else say(colour.yellow(t.skipped));
      const next = await ask(`${t.next}: `);
      if (next === undefined || next === 'q') break;
      if (next !== 'r') index++;
    }
  } finally {
    for (const service of started) {
      await stopService(service);
      say(colour.dim(t.serviceStopped(service)));
    }
    say(t.end);
  }
}

/** Every line within 80 columns: a longer one (an error, an address) is wrapped at words. */
export function within80(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => (visibleLength(line) > WIDTH ? wrap(line, WIDTH) : [line]))
    .join('\n');
}

function visibleLength(line: string): number {
  // eslint-disable-next-line no-control-regex -- colour codes take no columns
  return [...line.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

function lessonIndexOr(lessons: readonly Scenario[], text: string, fallback: number): number {
  try {
    return lessonIndex(lessons, text);
  } catch {
    return fallback;
  }
}

type Ask = (question: string) => Promise<string | undefined>;
type Say = (text?: string) => boolean;
type Colour = ReturnType<typeof colourFor>;

/** The guesses, then each run with its line as it comes, then the compact table. */
async function teach(lesson: Scenario, ask: Ask, say: Say, colour: Colour): Promise<void> {
  const t = messages().classMode;
  const semantics = [lesson.semantics].flat();
  say();
  say(colour.dim(t.predictTitle));
  const guesses = new Map<string, Guess>();
  for (const name of semantics) {
    const lost = await askCount(ask, say, colour, t.predictLost(name));
    const twice = await askCount(ask, say, colour, t.predictTwice(name));
    guesses.set(name, {
      ...(lost !== undefined ? { lost } : {}),
      ...(twice !== undefined ? { twice } : {}),
    });
  }
  say();
  const reports: ScenarioRunReport[] = [];
  try {
    const runs = planScenarioRuns(lesson, {});
    for (const [i, run] of runs.entries()) {
      say(colour.dim(t.running({ index: i + 1, count: runs.length, semantics: run.semantics })));
      const [report] = await executeAll([run], lesson);
      if (!report) continue;
      reports.push(report);
      say(resultLine(report, guesses.get(report.semantics) ?? {}, colour));
    }
  } catch (error) {
    if (error instanceof InterruptedError) say(renderStopped(error, colour));
    else if (error instanceof SemlabError) say(colour.red(error.localizedMessage()));
    else throw error;
  }
  if (reports.length === 0) return;
  say();
  say(renderComparison(reports, colour));
  for (const report of reports) {
    if (report.expectations?.length) {
      // Cut at its separators: 80 columns (colour codes count, so a coloured line cuts earlier).
      const line = `${report.semantics} ${renderExpectations(report.expectations, colour)}`;
      for (const part of fitItems(line, WIDTH)) say(part);
    }
  }
}

/** "at-least-once: QUEBRADA", then "  perdidas 0 (palpite 3: errou ✗) · duas vezes 12 (palpite 12: acertou ✓)" */
export function resultLine(report: ScenarioRunReport, guess: Guess, colour: Colour): string {
  const t = messages().classMode;
  const part = (label: string, observed: number, guessed: number | undefined): string => {
    if (guessed === undefined) return `${label} ${observed}`;
    const right = guessed === observed;
    const verdict = right ? colour.green(`${t.hit} ✓`) : colour.red(`${t.miss} ✗`);
    return `${label} ${observed} (${t.guess} ${guessed}: ${verdict})`;
  };
  // Two lines, so the longest semantics name still fits 80 columns.
  return `${report.semantics}: ${verdictBadge(report, colour)}\n  ${part(t.lost, report.lost, guess.lost)} · ${part(t.twice, report.duplicateExecutions, guess.twice)}`;
}

async function askCount(
  ask: Ask,
  say: Say,
  colour: Colour,
  question: string,
): Promise<number | undefined> {
  for (;;) {
    const answer = await ask(question);
    if (answer === undefined || answer === '') return undefined;
    if (/^\d{1,7}$/.test(answer)) return Number(answer);
    say(colour.red(messages().classMode.notANumber(answer)));
  }
}

/** Every server the lesson needs answers, or the class chose to start it here. */
async function servicesReady(
  lesson: Scenario,
  ask: Ask,
  say: Say,
  colour: Colour,
  started: Service[],
): Promise<boolean> {
  const t = messages().classMode;
  for (const service of servicesOf(lesson)) {
    const where = serviceAddress(service);
    if (await acceptsConnections(where, 1000)) continue;
    say(colour.yellow(t.serviceMissing({ service, where })));
    const answer = await ask('s/Enter: ');
    if (answer !== 's') return false;
    say(colour.dim(t.serviceStarting(service)));
    try {
      await startService(service);
      started.push(service);
      say(colour.green(t.serviceStarted({ service, where: serviceAddress(service) })));
    } catch (error) {
      const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      say(colour.red(t.serviceFailed({ service, why })));
      return false;
    }
  }
  return true;
}

/** host:port of the server the runs will use: REDIS_URL or KAFKA_BROKERS, else the defaults. */
function serviceAddress(service: Service): string {
  if (service === 'kafka')
    return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0] ?? '';
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return /^redis:\/\/(?:[^@/]*@)?([^/]+)/.exec(url)?.[1] ?? '127.0.0.1:6379';
}

/**
 * `scripts/services up <service>`, whose `export NAME=value` lines become this process's
 * environment: the runs of the lesson then find the server, and `down` finds what `up` started.
 */
async function startService(service: Service): Promise<void> {
  const { stdout } = await promisify(execFile)(SERVICES_SCRIPT, ['up', service], {
    env: process.env,
  });
  for (const line of stdout.split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) process.env[match[1]] = (match[2] ?? '').replace(/^'(.*)'$/, '$1');
  }
}

async function stopService(service: Service): Promise<void> {
  await promisify(execFile)(SERVICES_SCRIPT, ['down', service], { env: process.env }).catch(
    () => undefined,
  );
}
