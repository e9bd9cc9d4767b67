import { describeOutcomeRow } from '../support/outcome-table.js';

// design.md's expected-outcome table, row 'exactly-once', as real processes over real ZeroMQ sockets.
describeOutcomeRow('exactly-once', 'zmq');
