import { describeGradeOver } from '../support/grade-over.js';
import { KAFKA_CELL_ARGS } from '../support/kafka.js';

// semlab grade over the suite's Kafka broker (dispatcher mode, virtual clock). Each run costs
// seconds there, so the exactly-once worker gets the cases the other workers break plus the
// crashes around the mark; the whole battery is graded over ZeroMQ and Redis.
describeGradeOver('kafka', KAFKA_CELL_ARGS, [
  'drop-ack',
  'crash-after-execute',
  'crash-after-mark',
  'crash-before-ack',
]);
