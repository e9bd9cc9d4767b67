import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, type RunPlan } from './run-plan.js';

export function writePlan(plan: RunPlan): void {
  writeFileSync(join(plan.runDir, RUN_FILES.plan), JSON.stringify(plan, null, 2) + '\n');
}

export function readPlan(runDir: string): RunPlan {
  return JSON.parse(readFileSync(join(runDir, RUN_FILES.plan), 'utf8')) as RunPlan;
}
