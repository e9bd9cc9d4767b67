import { getStore } from '../stores/registry.js';
import { getTransport } from '../transports/registry.js';
import type { RunPlan } from './run-plan.js';

/** The run's transport and store, each with the name it reports problems under. */
function parts(plan: RunPlan) {
  return [getTransport(plan.transport), getStore(plan.store)];
}

/**
 * Before any process starts: are the services the run needs there? Each part fails fast with an
 * InfrastructureError that names the address and how to start the service. A transport and a
 * store on the same service share one check function, which then runs once.
 */
export async function prepareRunResources(plan: RunPlan): Promise<void> {
  const checks = new Set(parts(plan).map((part) => part.prepare));
  for (const check of checks) await check?.(plan);
}

/**
 * Deletes what the run created in shared services (Redis keys, Kafka topics), through each part's
 * own `cleanup` (shared cleanups run once), unless the plan says keep. Returns what went wrong
 * instead of throwing, so a failed cleanup never hides the error that ended the run.
 */
export async function releaseRunResources(plan: RunPlan): Promise<string[]> {
  const problems: string[] = [];
  const done = new Set<unknown>();
  for (const part of parts(plan)) {
    if (!part.cleanup || done.has(part.cleanup)) continue;
    done.add(part.cleanup);
    try {
      await part.cleanup(plan);
    } catch (error) {
      problems.push(`${part.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
