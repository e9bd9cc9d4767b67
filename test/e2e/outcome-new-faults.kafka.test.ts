import { SEMANTICS_NAMES } from '../../src/core/semantics.js';
import { describeNewFaultsRow } from '../support/outcome-table.js';
import { KAFKA_CELL_ARGS } from '../support/kafka.js';

// The new columns over a real Kafka broker in dispatcher mode: the dispatcher routes every
// message, so the run is on the virtual clock and the same exact counts hold. A Kafka cell costs
// seconds, so most columns run 30 messages (the last --messages wins), still 3 pauses, ~6 copies,
// ~15 reorders and 30 slow epochs. The partition keeps the table's 100: it starts 50 virtual ms
// in, and 30 messages are all settled by then (nothing would be cut).
const SHORT = [...KAFKA_CELL_ARGS, '--messages', '30'];
for (const semantics of SEMANTICS_NAMES) {
  describeNewFaultsRow(semantics, 'kafka', SHORT, [
    'pause after-execute',
    'duplicate work',
    'reorder',
    'slow work',
  ]);
  describeNewFaultsRow(semantics, 'kafka', KAFKA_CELL_ARGS, ['partition w2']);
}
