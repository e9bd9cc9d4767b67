/**
 * What the supervisor starts for a worker: it follows its parent from its first instruction
 * (./parent-watch.ts), then loads the worker itself (./worker-main.ts, same arguments).
 */
import { followParent } from './parent-watch.js';

followParent();
await import('./worker-main.js');
