import { describeOutcomeRow } from '../support/outcome-table.js';

// design.md's expected-outcome table, row 'at-least-once', over a real redis-server: once with Redis as the
// transport, once with ZeroMQ as the transport and Redis as the shared dedupe store.
describeOutcomeRow('at-least-once', 'redis');
describeOutcomeRow('at-least-once', 'zmq', ['--store', 'redis']);
