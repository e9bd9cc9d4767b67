/**
 * What the supervisor starts for the dispatcher: it follows its parent from its first instruction
 * (./parent-watch.ts), then loads the dispatcher itself (./dispatcher-main.ts, same arguments).
 */
import { followParent } from './parent-watch.js';

followParent();
await import('./dispatcher-main.js');
