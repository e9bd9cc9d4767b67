import { describeOutcomeRow } from '../support/outcome-table.js';

// design.md's expected-outcome table, row 'at-most-once-execution', over a real redis-server: once with Redis as the
// transport, once with ZeroMQ as the transport and Redis as the shared dedupe store.
describeOutcomeRow('at-most-once-execution', 'redis');
describeOutcomeRow('at-most-once-execution', 'zmq', ['--store', 'redis']);
