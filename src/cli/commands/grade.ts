import { Command, Option } from '@commander-js/extra-typings';
import { localized, messages } from '../../i18n/catalog.js';
import { SemlabError, UsageError, WorkerProtocolError } from '../../shared/errors.js';
import { renderTrace } from '../../report/render-trace.js';
import { verdictReason } from '../../report/render-table.js';
import { findRun, traceableRun, traceRun } from '../../report/run-history.js';
import type { EpochStory } from '../../report/trace.js';
import type { RunReport } from '../../report/run-report.js';
import { executeRun } from '../execute-run.js';
import { baseFlags, GRADE_BATTERY, GRADE_TRANSPORTS, type GradeCase } from '../grade-battery.js';
import { parseRunFlags, parseSemantics, type RunFlags } from '../run-options.js';
import { colourFor } from '../terminal.js';
import { closestMatch } from '../../util/suggest.js';

const HELP = `
Runs your worker program (docs/worker-protocol.md) through a fixed battery of
faults, each a small run on the virtual clock (the same worker and seed give the
same grade), and checks the promise of the semantics you claim in every case.
Over ZeroMQ by default; --transport redis (lists) or kafka (dispatcher mode)
grades over a real server ($REDIS_URL, $KAFKA_BROKERS, or the flags). One row
per case; for the first broken case, the life of one epoch that broke the
promise.

Cases: ${GRADE_BATTERY.map((c) => c.id).join(', ')}

Exit codes: 0 every case held; 1 a case broke the claim, or the worker broke the protocol (bad
JSON, an unknown request, an exit of its own, no answer in time: one line names it); 2 bad flags.

Examples:
  $ semlab grade --worker-cmd "python3 examples/workers/exactly_once.py" --claim exactly-once
  $ semlab grade --worker-cmd "python3 examples/workers/check_then_mark.py" --claim exactly-once
  $ semlab grade --worker-cmd "node examples/workers/exactly_once.mjs" --claim exactly-once --json
  $ semlab grade --worker-cmd "python3 examples/workers/naive.py" --claim exactly-once \\
      --transport redis --cases drop-ack
`;

/** One case's outcome, as `--json` prints it (field names are a contract for autograders). */
export interface GradeRow {
  readonly case: string;
  readonly held: boolean;
  readonly reason: string;
  readonly sent: number;
  readonly delivered: number;
  readonly executed: number;
  readonly duplicateExecutions: number;
  readonly lost: number;
  readonly runId: string;
}

export function gradeCommand() {
  return new Command('grade')
    .description(
      "grade your own worker program: run it through a battery of faults, check a claim's promise",
    )
    .addOption(
      new Option(
        '--worker-cmd <command>',
        'the command that starts your worker',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--claim <semantics>',
        'the semantics your worker claims to keep',
      ).makeOptionMandatory(),
    )
    .option('--seed <s>', 'seed for every fault decision', '1')
    .option('-m, --messages <m>', 'messages per case', '30')
    .option('--cases <list>', 'only these cases, comma-separated (default: the whole battery)')
    .option('-t, --transport <name>', `${GRADE_TRANSPORTS.join(', ')} (default zmq)`)
    .option(
      '--store <name>',
      "dedupe store of every case but memory-store (default: the claim's preset store)",
    )
    .option('--redis-url <url>', 'Redis for --transport redis or --store redis')
    .option('--kafka-brokers <list>', 'Kafka for --transport kafka: host:port,...')
    .option('--kafka-session-timeout <ms>', 'kafka: how long a dead worker keeps its partitions')
    .option('--json', 'print one JSON object on stdout, nothing else')
    .addHelpText('after', HELP)
    .action(async (options) => {
      const claim = parseSemantics(options.claim);
      if (options.workerCmd.trim() === '') throw new UsageError(localized('workerCmdEmpty', {}));
      const transport = gradeTransport(options.transport);
      const base = baseFlags({ ...options, transport });
      // Every case's flags are checked before the first run starts.
      const settings = chosenCases(options.cases).map((c) => ({
        id: c.id,
        settings: parseRunFlags(claim, caseFlags(base, c), () => 1),
      }));
      const m = messages();
      const colour = colourFor(process.stdout);
      const out = (line: string): void => {
        if (!options.json) process.stdout.write(line + '\n');
      };
      out(
        colour.bold(
          m.gradeTitle({ claim, command: options.workerCmd, seed: options.seed, transport }),
        ),
      );
      out(colour.dim(m.gradeColumns));
      const rows: GradeRow[] = [];
      let firstBroken: { row: GradeRow; report: RunReport } | undefined;
      for (const { id, settings: one } of settings) {
        let report: RunReport;
        try {
          report = await executeRun(one, `grade: ${id}`, { noLiveView: true });
        } catch (error) {
          if (!(error instanceof WorkerProtocolError)) throw error;
          if (options.json) {
            process.stdout.write(
              JSON.stringify({
                claim,
                held: false,
                cases: rows,
                protocolError: { case: id, message: error.message },
              }) + '\n',
            );
          }
          // A grade, not bad input: the worker is what is graded (exit 1), named in one line.
          throw new SemlabError('expectation', error.text ?? error.message);
        }
        const row: GradeRow = {
          case: id,
          held: report.verdict.held === true,
          reason: report.verdict.reason,
          sent: report.sent,
          delivered: report.delivered,
          executed: report.executed,
          duplicateExecutions: report.duplicateExecutions,
          lost: report.lost,
          runId: report.runId,
        };
        rows.push(row);
        if (!row.held) firstBroken ??= { row, report };
        // No verdict (a run that stalled, a history semlab got wrong) is no pass either.
        const word =
          report.verdict.held === null
            ? m.noVerdictWord
            : row.held
              ? m.heldWord
              : m.brokenWord.toUpperCase();
        const verdict = row.held ? colour.green(word) : colour.red(word);
        out(
          `${id.padEnd(21)} ${verdict}${' '.repeat(Math.max(1, 9 - word.length))}` +
            [row.sent, row.delivered, row.executed, row.duplicateExecutions, row.lost]
              .map((n) => String(n).padStart(7))
              .join(''),
        );
      }
      let story: EpochStory | undefined;
      if (firstBroken) {
        const run = traceableRun(findRun(firstBroken.report.runDir));
        const trace = await traceRun(run);
        story = trace.stories.find((s) => s.outcome !== 'ok');
        out('');
        out(
          colour.bold(
            m.gradeFirstBroken({
              id: firstBroken.row.case,
              reason: verdictReason(firstBroken.report, m),
            }),
          ),
        );
        // The trace's own summary line ("1 epochs shown") says nothing here.
        if (story) {
          const lines = renderTrace(run, { ...trace, stories: [story] }, colour)
            .trimEnd()
            .split('\n');
          out(lines.slice(0, -2).join('\n'));
        }
      }
      const broken = rows.filter((r) => !r.held).length;
      if (options.json) {
        process.stdout.write(
          JSON.stringify({
            claim,
            workerCmd: options.workerCmd,
            transport,
            seed: Number(options.seed),
            held: broken === 0,
            cases: rows,
            counterexample: firstBroken
              ? { case: firstBroken.row.case, runId: firstBroken.row.runId, story: story ?? null }
              : null,
          }) + '\n',
        );
      } else if (broken === 0) {
        out('');
        out(colour.green(m.gradeAllHeld({ total: rows.length })));
      }
      if (broken > 0) {
        throw new SemlabError(
          'expectation',
          localized('gradeBroken', { claim, broken, total: rows.length }),
        );
      }
    });
}

/** `--cases a,b`: those cases of the battery, in the battery's order; an unknown id is bad input. */
function chosenCases(list: string | undefined): readonly GradeCase[] {
  if (list === undefined) return GRADE_BATTERY;
  const ids = list.split(',').map((id) => id.trim());
  const known = GRADE_BATTERY.map((c) => c.id);
  for (const id of ids) {
    if (!known.includes(id)) {
      throw new UsageError(
        localized('notOneOf', {
          flag: '--cases',
          found: id,
          allowed: known,
          suggestion: closestMatch(id, known),
        }),
      );
    }
  }
  return GRADE_BATTERY.filter((c) => ids.includes(c.id));
}

/** `--transport`: one on which the whole battery runs on the virtual clock; another is bad input. */
function gradeTransport(name: string | undefined): string {
  if (name === undefined) return 'zmq';
  const known: readonly string[] = GRADE_TRANSPORTS;
  if (!known.includes(name)) {
    throw new UsageError(
      localized('notOneOf', {
        flag: '--transport',
        found: name,
        allowed: known,
        suggestion: closestMatch(name, known),
      }),
    );
  }
  return name;
}

/**
 * One case's run flags. A case with its own store (memory-store) drops a `--redis-url` that only
 * `--store redis` needed, which the run would otherwise refuse as a flag without use.
 */
function caseFlags(base: RunFlags, c: GradeCase): RunFlags {
  const flags: RunFlags = { ...base, ...c.flags };
  if (c.flags.store !== undefined && flags.transport !== 'redis' && c.flags.store !== 'redis') {
    delete flags.redisUrl;
  }
  return flags;
}
