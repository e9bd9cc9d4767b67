import { getStore } from '../stores/registry.js';
import { getTransport } from '../transports/registry.js';
import type { RunPlan } from './run-plan.js';

/**
 * Before any process starts: are the services the run needs there? Each part fails fast with an
 * InfrastructureError that names the address and how to start the service.
 */
export async function prepareRunResources(plan: RunPlan): Promise<void> {
  await getTransport(plan.transport).prepare?.(plan);
  await getStore(plan.store).prepare(plan);
}

/**
 * Deletes what the run created in shared services (Redis keys, Kafka topics), through each part's
 * own `cleanup`, unless the plan says keep. Returns what went wrong instead of throwing, so a
 * failed cleanup never hides the error that ended the run.
 */
export async function releaseRunResources(plan: RunPlan): Promise<string[]> {
  const problems: string[] = [];
  const parts = [getTransport(plan.transport), getStore(plan.store)];
  for (const part of new Set(parts)) {
    try {
      await part.cleanup?.(plan);
    } catch (error) {
      problems.push(`${part.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
