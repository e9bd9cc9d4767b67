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
