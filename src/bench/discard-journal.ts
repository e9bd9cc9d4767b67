/**
 * Preloaded (`node --import`) by the bench into the processes of its "journals discarded" runs
 * only (./semlab-run.ts): every semlab journal then writes nothing (src/core/journal.ts,
 * DISCARD_JOURNALS), which measures what durability costs. Nothing in a normal run loads this
 * file, and the CLI refuses to report a run made with it: its counts would mean nothing.
 */
import { DISCARD_JOURNALS } from '../core/journal.js';

(globalThis as Record<symbol, unknown>)[DISCARD_JOURNALS] = true;
