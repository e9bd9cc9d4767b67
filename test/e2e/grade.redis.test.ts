import { inject } from 'vitest';
import { describeGradeOver } from '../support/grade-over.js';

// semlab grade over the suite's redis-server (lists, virtual clock). The exactly-once worker gets
// the whole battery, with its marks in Redis too (--store redis; the memory-store case keeps its
// memory store and drops the --redis-url only --store needed).
describeGradeOver(
  'redis',
  [],
  [
    'no-faults',
    'drop-work',
    'drop-ack',
    'slow-ack',
    'crash-after-receive',
    'crash-after-execute',
    'crash-after-mark',
    'crash-before-ack',
    'memory-store',
    'combined',
  ],
  ['--store', 'redis', '--redis-url', inject('redisUrl')],
);
