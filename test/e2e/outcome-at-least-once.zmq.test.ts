import { describeOutcomeRow } from '../support/outcome-table.js';

// design.md's expected-outcome table, row 'at-least-once', as real processes over real ZeroMQ sockets.
describeOutcomeRow('at-least-once', 'zmq');
