import { join } from 'node:path';
import type { JournalEvent } from '../core/journal.js';
import { RUN_FILES, type ReplayAction, type RunPlan } from '../core/run-plan.js';
import { readJsonLines } from './history.js';

/**
 * What `semlab run --replay RUN` needs from a recorded run: its plan, and the live actions a person
 * took during it (switches and kills from the live view), each at the step of the virtual clock
 * where it took effect. Planned faults need nothing more: the seed decides them again.
 */
export async function replayActions(plan: RunPlan): Promise<ReplayAction[]> {
  const actions: ReplayAction[] = [];
  const journal = join(plan.runDir, RUN_FILES.dispatcherJournal);
  for await (const event of readJsonLines<JournalEvent>(journal)) {
    if (event.kind === 'live' && event.step !== undefined)
      actions.push({ step: event.step, switch: event.switch, on: event.on });
    else if (event.kind === 'live-kill') actions.push({ step: event.step, kill: event.worker });
    else if (event.kind === 'live-freeze') actions.push({ step: event.step, freeze: event.worker });
    else if (event.kind === 'live-cut' && event.step !== undefined)
      actions.push({ step: event.step, cut: event.worker });
  }
  return actions;
}
