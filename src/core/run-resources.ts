import type { StoreKind } from '../stores/contract.js';
import { loadStore } from '../stores/registry.js';
import type { Transport } from '../transports/contract.js';
import { loadTransport } from '../transports/registry.js';
import { SemlabError } from '../shared/errors.js';
import type { RunPlan } from './run-plan.js';
import { PRESETS } from './semantics.js';

/** The run's transport and store, each with the name it reports problems under. */
async function parts(plan: RunPlan): Promise<Part[]> {
  const store = await runStore(plan);
  return [await loadTransport(plan.transport), ...(store ? [store] : [])];
}

/**
 * The run's dedupe store, or undefined when its preset uses none (at-most-once, at-least-once):
 * such a run neither prepares, checks nor reads a store, so it never loads the store's client
 * nor creates its file (better-sqlite3 and the sqlite file cost the default run some 30 ms).
 */
export async function runStore(plan: RunPlan): Promise<StoreKind | undefined> {
  return runUsesStore(plan) ? loadStore(plan.store) : undefined;
}

/**
 * Whether the run's workers use a store: the preset's steps do, or a student's program may (it is
 * given the store's operations whatever the preset, docs/worker-protocol.md).
 */
export function runUsesStore(plan: Pick<RunPlan, 'semantics' | 'workerCmd'>): boolean {
  return PRESETS[plan.semantics].usesStore || plan.workerCmd !== undefined;
}

type Part = Transport | StoreKind;

/**
 * Before any process starts: are the services the run needs there? Each part fails fast with an
 * InfrastructureError that names the address and how to start the service. A transport and a
 * store on the same service share one check function, which then runs once.
 *
 * A check may create things (the Kafka transport creates the run's topics). When a later check
 * fails (say `--store redis` with no Redis behind a Kafka run), what the earlier ones created is
 * deleted before the error goes up: a run that never started leaves nothing behind.
 */
export async function prepareRunResources(plan: RunPlan): Promise<void> {
  const checked = new Set<unknown>();
  const prepared: Part[] = [];
  try {
    for (const part of await parts(plan)) {
      if (part.prepare && !checked.has(part.prepare)) {
        checked.add(part.prepare);
        await part.prepare(plan);
      }
      prepared.push(part);
    }
  } catch (error) {
    // Problems of this cleanup are dropped: the failed check is what the user must act on.
    await releaseParts(plan, prepared);
    throw error;
  }
}

/**
 * Deletes what the run created in shared services (Redis keys, Kafka topics), through each part's
 * own `cleanup` (shared cleanups run once), unless the plan says keep. Returns what went wrong
 * instead of throwing, so a failed cleanup never hides the error that ended the run.
 */
export async function releaseRunResources(plan: RunPlan): Promise<string[]> {
  return releaseParts(plan, await parts(plan));
}

async function releaseParts(plan: RunPlan, which: readonly Part[]): Promise<string[]> {
  const problems: string[] = [];
  const done = new Set<unknown>();
  for (const part of which) {
    if (!part.cleanup || done.has(part.cleanup)) continue;
    done.add(part.cleanup);
    try {
      await part.cleanup(plan);
    } catch (error) {
      problems.push(`${part.name}: ${describe(error)}`);
    }
  }
  return problems;
}

/**
 * After a stalled run: asks each service the run used whether it still answers (each part's
 * `probe`, bounded by the part). Returns the first problem in the reader's language (it names the
 * server's address), or undefined when every service answers and the stall is semlab's own.
 */
export async function unansweringService(plan: RunPlan): Promise<string | undefined> {
  const probed = new Set<unknown>();
  for (const part of await parts(plan)) {
    if (!part.probe || probed.has(part.probe)) continue;
    probed.add(part.probe);
    try {
      await part.probe(plan);
    } catch (error) {
      return describe(error);
    }
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof SemlabError) return error.localizedMessage();
  return error instanceof Error ? error.message : String(error);
}
