import { describeOutcomeRow } from '../support/outcome-table.js';

// design.md's expected-outcome table, row 'exactly-once-atomic', over a real redis-server: once with Redis as the
// transport, once with ZeroMQ as the transport and Redis as the shared dedupe store.
describeOutcomeRow('exactly-once-atomic', 'redis');
describeOutcomeRow('exactly-once-atomic', 'zmq', ['--store', 'redis']);
