import { describeOutcomeRow } from '../support/outcome-table.js';
import { KAFKA_CELL_ARGS } from '../support/kafka.js';

// design.md's expected-outcome table, row 'at-least-once', over a real Kafka broker (dispatcher mode: the
// dispatcher's retries give the guarantee; Kafka is the network).
describeOutcomeRow('at-least-once', 'kafka', KAFKA_CELL_ARGS);
