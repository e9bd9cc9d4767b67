import { z } from 'zod';
import { MAX_FAULTS, RUN_DEFAULTS } from '../core/defaults.js';
import { SEMANTICS_NAMES } from '../core/semantics.js';
import { CRASH_POINTS, DIRECTIONS } from '../faults/spec.js';
import { TRANSLATED_LANGUAGES } from '../i18n/language.js';
import { STORE_NAMES } from '../stores/registry.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';

/**
 * The scenario file format: one schema, from which come the TypeScript type, the validation (with
 * unknown fields as errors) and the published JSON Schema (scenarios/schema.json, `npm run schema`).
 */
const whole = (min: number, max: number) => z.int().min(min).max(max);
const probability = z.number().min(0).max(1).describe('a fraction from 0 to 1');

const dropFault = z.strictObject({
  type: z.literal('drop'),
  direction: z.enum(DIRECTIONS).describe('work: dispatcher to worker; ack: worker to dispatcher'),
  probability,
});

const delayFault = z.strictObject({
  type: z.literal('delay'),
  direction: z.enum(DIRECTIONS),
  ms: whole(0, 3_600_000).describe('how long the message is held back'),
  probability: probability.default(1),
});

const crashFault = z.strictObject({
  type: z.literal('crash'),
  point: z.enum(CRASH_POINTS).describe('the step after which the worker dies'),
  every: whole(1, 1_000_000_000).describe('crash on the first delivery of every k-th epoch'),
  restartMs: whole(0, 600_000).optional().describe('delay before the dead worker is restarted'),
});

const workFault = z.strictObject({
  type: z.literal('work'),
  ms: whole(0, 600_000).describe(
    'how long each delivery takes to handle (virtual ms on the virtual clock)',
  ),
  jitterMs: whole(0, 600_000).optional().describe('give or take up to this much, by the seed'),
});

const pauseFault = z.strictObject({
  type: z.literal('pause'),
  point: z.enum(CRASH_POINTS).describe('the step after which the worker is frozen'),
  every: whole(1, 1_000_000_000).describe('pause on the first delivery of every k-th epoch'),
  ms: whole(0, 600_000).describe('how long the worker stays frozen (SIGSTOP) before SIGCONT'),
});

const duplicateFault = z.strictObject({
  type: z.literal('duplicate'),
  direction: z.enum(DIRECTIONS).describe('work: dispatcher to worker; ack: worker to dispatcher'),
  probability,
});

const reorderFault = z.strictObject({
  type: z.literal('reorder'),
  probability,
  ms: whole(1, 3_600_000)
    .default(5)
    .describe('how long a message is held back while later ones overtake it'),
});

const partitionFault = z.strictObject({
  type: z.literal('partition'),
  worker: z
    .string()
    .regex(/^w[1-9]\d*$/, 'a worker: w1, w2, ...')
    .describe('the worker cut off from the dispatcher'),
  direction: z
    .enum(DIRECTIONS)
    .optional()
    .describe('cut only work (dispatcher to worker) or only acks; default both'),
  atMs: whole(0, 86_400_000).describe("when the cut starts, on the run's clock"),
  ms: whole(1, 86_400_000).describe('how long it lasts before it heals'),
});

export const faultSchema = z.discriminatedUnion('type', [
  dropFault,
  delayFault,
  crashFault,
  workFault,
  pauseFault,
  duplicateFault,
  reorderFault,
  partitionFault,
]);

/** The report fields an `expect` block may test. */
export const EXPECTABLE_FIELDS = [
  'sent',
  'retries',
  'delivered',
  'duplicateDeliveries',
  'executed',
  'duplicateExecutions',
  'acked',
  'lost',
  'externalKills',
  'durationMs',
  // The run's own time on the virtual clock: the same on every run, so it can be exact.
  'virtualDurationMs',
] as const;

/** A number (exactly this), or a comparison such as ">0", "<=5", "0". */
export const expectationSchema = z.union([
  z.int().min(0),
  z
    .string()
    .regex(/^\s*(>=|<=|>|<|==|=)?\s*\d+\s*$/, 'a number or a comparison such as ">0", "<=5", "0"'),
]);

const expectBlock = z.strictObject({
  ...Object.fromEntries(EXPECTABLE_FIELDS.map((field) => [field, expectationSchema.optional()])),
  held: z.boolean().optional().describe("did the preset's promise hold?"),
}) as z.ZodType<
  Partial<Record<(typeof EXPECTABLE_FIELDS)[number], number | string>> & { held?: boolean }
>;

/** A lesson's words in another language; the English title and description stay the reference. */
const translation = z.strictObject({
  title: z.string().min(1).describe('the title in this language'),
  description: z.string().min(1).describe('the description in this language'),
});

const translations = z
  .strictObject(
    Object.fromEntries(TRANSLATED_LANGUAGES.map((lang) => [lang, translation.optional()])) as {
      [L in (typeof TRANSLATED_LANGUAGES)[number]]: z.ZodOptional<typeof translation>;
    },
  )
  .describe('the title and description in other languages, shown with --lang or the locale');

/** Most faults in one run (defined with the defaults, which the CLI loads without zod). */
export { MAX_FAULTS };

/**
 * One name, or a list of distinct names no longer than the names there are: each entry is a run,
 * so a repeated or endless list would only repeat runs.
 */
const oneOrMany = <T extends z.ZodType>(item: T, most: number) =>
  z.union([item, z.array(item).min(1).max(most).superRefine(noRepeats)]);

function noRepeats(list: readonly unknown[], ctx: z.RefinementCtx): void {
  const seen = new Set<unknown>();
  for (const [index, value] of list.entries()) {
    if (seen.has(value)) {
      ctx.addIssue({ code: 'custom', path: [index], message: 'listed twice', input: value });
      return;
    }
    seen.add(value);
  }
}

/**
 * A named variant of a lesson: what its description suggests trying ("with a shared store"), with
 * the settings it changes and the expectations that then hold. A run whose settings are the
 * variant's is checked against the variant's expectations (src/cli/scenario-runs.ts).
 */
const variantSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes')
    .describe('short name, shown in the lab'),
  title: z.string().min(1).describe('one line: what the variant changes'),
  i18n: z
    .strictObject(
      Object.fromEntries(
        TRANSLATED_LANGUAGES.map((lang) => [
          lang,
          z.strictObject({ title: z.string().min(1) }).optional(),
        ]),
      ) as {
        [L in (typeof TRANSLATED_LANGUAGES)[number]]: z.ZodOptional<
          z.ZodObject<{ title: z.ZodString }, z.core.$strict>
        >;
      },
    )
    .optional(),
  store: z.enum(STORE_NAMES as [string, ...string[]]).optional(),
  dedupeTtlMs: whole(1, 86_400_000).optional(),
  faults: z.array(faultSchema).max(MAX_FAULTS).optional(),
  expect: z.partialRecord(z.enum(SEMANTICS_NAMES), expectBlock).optional(),
});

export const scenarioSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes')
    .describe('short name, used as `semlab run <name>`'),
  title: z.string().min(1).describe('one line: the lesson'),
  description: z
    .string()
    .min(1)
    .describe('shown before the run: what to watch for, and why it happens'),
  i18n: translations.optional(),
  semantics: oneOrMany(z.enum(SEMANTICS_NAMES), SEMANTICS_NAMES.length),
  transport: oneOrMany(
    z.enum(TRANSPORT_NAMES as [string, ...string[]]),
    TRANSPORT_NAMES.length,
  ).default(RUN_DEFAULTS.transport),
  workers: whole(1, 64).default(RUN_DEFAULTS.workers),
  messages: whole(1, 50_000_000).default(RUN_DEFAULTS.messages),
  seed: whole(0, 2 ** 31 - 1).default(1),
  timeoutMs: whole(1, 3_600_000).default(RUN_DEFAULTS.timeoutMs),
  window: whole(1, 100_000).default(RUN_DEFAULTS.window),
  store: z.enum(STORE_NAMES as [string, ...string[]]).default(RUN_DEFAULTS.store),
  dedupeTtlMs: whole(1, 86_400_000)
    .optional()
    .describe('how long a dedupe mark lasts (default: the whole run)'),
  restartDelayMs: whole(0, 600_000).default(RUN_DEFAULTS.restartDelayMs),
  clock: z
    .enum(['virtual', 'real'])
    .optional()
    .describe(
      "virtual (default where the dispatcher routes: zmq, redis lists, kafka dispatcher mode): timeouts, delays and restarts in the run's own time, the same table on any machine; real: wall time",
    ),
  redisMode: z
    .enum(['lists', 'streams'])
    .optional()
    .describe('redis transport: lists (no redelivery) or streams (consumer group, XAUTOCLAIM)'),
  reclaimIdleMs: whole(1, 600_000)
    .optional()
    .describe("redis streams: idle time before a dead consumer's entries are claimed"),
  kafkaMode: z
    .enum(['dispatcher', 'native'])
    .optional()
    .describe("kafka transport: dispatcher (the dispatcher's retries) or native (Kafka's offsets)"),
  kafkaAcks: z
    .enum(['all', '1', '0'])
    .optional()
    .describe('kafka: acks the dispatcher asks for when it writes work'),
  partitions: whole(1, 1000).optional().describe('kafka: partitions of the work topic'),
  kafkaSessionTimeoutMs: whole(100, 300_000)
    .optional()
    .describe('kafka: consumer session timeout, how long a dead worker keeps its partitions'),
  crashBroker: z
    .strictObject({
      afterAcked: whole(1, 50_000_000).describe('kill the leader after this many acked epochs'),
      restartMs: whole(0, 600_000).default(5000).describe('restart it after this delay'),
    })
    .optional()
    .describe('kafka, 3 brokers: kill the broker leading the work partition, then restart it'),
  faults: z.array(faultSchema).max(MAX_FAULTS).default([]),
  expect: z.partialRecord(z.enum(SEMANTICS_NAMES), expectBlock).optional(),
  workerCmd: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      'your own worker program in place of the preset\'s steps, e.g. "python3 my_worker.py" (docs/worker-protocol.md)',
    ),
  variants: z.array(variantSchema).max(8).optional(),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioTranslation = z.output<typeof translation>;
export type ScenarioVariant = z.output<typeof variantSchema>;
export type Expectations = NonNullable<Scenario['expect']>[keyof NonNullable<Scenario['expect']>];

/** The JSON Schema published for editors (scenarios/schema.json). */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input' }),
    title: 'semlab scenario',
  };
}
