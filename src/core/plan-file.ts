import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { RUN_FILES, type RunPlan } from './run-plan.js';

/** Written whole or not at all: `semlab runs` in another terminal may read it at any moment. */
export function writePlan(plan: RunPlan): void {
  writeFileAtomic(join(plan.runDir, RUN_FILES.plan), JSON.stringify(plan, null, 2) + '\n');
}

export function readPlan(runDir: string): RunPlan {
  return JSON.parse(readFileSync(join(runDir, RUN_FILES.plan), 'utf8')) as RunPlan;
}
