import { SEMANTICS_NAMES } from '../../src/core/semantics.js';
import { describeNewFaultsRow } from '../support/outcome-table.js';

// The expected-outcome table's columns for issue 14's faults, every row, over real ZeroMQ sockets.
for (const semantics of SEMANTICS_NAMES) describeNewFaultsRow(semantics, 'zmq');
