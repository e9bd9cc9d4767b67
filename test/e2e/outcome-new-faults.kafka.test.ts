import { SEMANTICS_NAMES } from '../../src/core/semantics.js';
import { describeNewFaultsRow } from '../support/outcome-table.js';
import { KAFKA_CELL_ARGS } from '../support/kafka.js';

// The new columns over a real Kafka broker in dispatcher mode: the dispatcher routes every
// message, so the run is on the virtual clock and the same exact counts hold.
for (const semantics of SEMANTICS_NAMES) describeNewFaultsRow(semantics, 'kafka', KAFKA_CELL_ARGS);
