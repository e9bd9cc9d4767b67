/** What a run is when neither a scenario nor a flag says otherwise. */
export const RUN_DEFAULTS = {
  transport: 'zmq',
  workers: 3,
  messages: 100,
  timeoutMs: 200,
  window: 64,
  store: 'sqlite',
  restartDelayMs: 200,
} as const;

/** The Kafka transport's knobs when neither a scenario nor a flag says otherwise. */
export const KAFKA_DEFAULTS = {
  brokers: '127.0.0.1:9092',
  mode: 'dispatcher',
  acks: 'all',
  /** Short, so that a crashed worker's partitions move on within a lesson's attention span. */
  sessionTimeoutMs: 3000,
  brokerRestartMs: 5000,
} as const;

/** Most faults in one run: more is never a lesson, and each costs memory in every process. */
export const MAX_FAULTS = 32;
