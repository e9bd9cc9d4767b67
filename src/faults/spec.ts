/**
 * Faults are data. A run's faults are a list of these specs; the same list and seed give the same
 * fault decisions on every transport and every run (see ./decide.ts).
 */
export const DIRECTIONS = ['work', 'ack'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Named protocol points at which a worker can die; each names the step *after which* it dies. */
export const CRASH_POINTS = ['after-receive', 'after-mark', 'after-execute', 'before-ack'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** A message (work or ack) vanishes on the link with the given probability. */
export interface DropFault {
  readonly type: 'drop';
  readonly direction: Direction;
  readonly probability: number;
}

/** A message (work or ack) is held back on the link for `ms` with the given probability. */
export interface DelayFault {
  readonly type: 'delay';
  readonly direction: Direction;
  readonly ms: number;
  readonly probability: number;
}

/**
 * The worker handling the first delivery of every `every`-th epoch dies at `point` (once per epoch);
 * the supervisor restarts it after `restartMs` (or the run's restart delay).
 */
export interface CrashFault {
  readonly type: 'crash';
  readonly point: CrashPoint;
  readonly every: number;
  readonly restartMs?: number;
}

/**
 * Work that takes time: every delivery a worker handles (the check and the work together) takes
 * `ms`, give or take up to `jitterMs` (decided by the seed, per epoch and attempt). Virtual ms on
 * the virtual clock (the attempt in hand advances the run's time), wall ms on the real clock (the
 * worker sleeps). See ./work-time.ts.
 */
export interface WorkTimeFault {
  readonly type: 'work';
  readonly ms: number;
  readonly jitterMs?: number;
}

/**
 * The worker handling the first delivery of every `every`-th epoch is frozen at `point` (SIGSTOP,
 * by the supervisor) for `ms`, then thawed (SIGCONT): not dead, only silent. The dispatcher may
 * time out and send the epoch again elsewhere; the zombie then wakes and finishes what it had.
 */
export interface PauseFault {
  readonly type: 'pause';
  readonly point: CrashPoint;
  readonly every: number;
  readonly ms: number;
}

/** The network delivers a message (work or ack) twice, with the given probability. */
export interface DuplicateFault {
  readonly type: 'duplicate';
  readonly direction: Direction;
  readonly probability: number;
}

/**
 * Messages overtake each other: with the given probability a message (work or ack) is held back
 * `ms`, a short while, so the ones sent after it arrive first. Short of the ack timeout it is a
 * change of order, not a loss.
 */
export interface ReorderFault {
  readonly type: 'reorder';
  readonly probability: number;
  readonly ms: number;
}

/**
 * Worker `worker` is cut off from the dispatcher from `atMs` (the run's clock, 0 at the start)
 * for `ms`: every message that would cross the cut is lost, in both directions or in the one
 * named. Then the partition heals. Work crosses the cut where it is routed, so a cut of the work
 * direction needs the virtual clock (the dispatcher routes); acks name their worker, so a cut of
 * acks works on either clock.
 */
export interface PartitionFault {
  readonly type: 'partition';
  readonly worker: string;
  readonly direction?: Direction;
  readonly atMs: number;
  readonly ms: number;
}

export type LinkFault = DropFault | DelayFault;
export type FaultSpec =
  | LinkFault
  | CrashFault
  | WorkTimeFault
  | PauseFault
  | DuplicateFault
  | ReorderFault
  | PartitionFault;

/**
 * Kafka, from the supervisor: the broker leading partition 0 of the work topic is killed (SIGKILL)
 * once `afterAcked` epochs are acked, and started again `restartMs` later. It comes from the run's
 * Kafka settings (--crash-broker), not from its fault list, and shows in the report's faults.
 */
export interface BrokerCrashFault {
  readonly type: 'crash-broker';
  readonly target: 'leader';
  readonly afterAcked: number;
  readonly restartMs: number;
}

/** The switches of the live view (src/faults/live.ts): faults a person turns on and off. */
export const LIVE_SWITCHES = ['drop-work', 'drop-ack', 'slow-ack', 'pause'] as const;
export type LiveSwitch = (typeof LIVE_SWITCHES)[number];

/** Every live action a report can list: the switches, and crashing a worker. */
export type LiveAction = LiveSwitch | 'crash-worker' | 'freeze-worker' | 'cut-worker';

/** A switched-on drop takes this share of messages: enough to see, not so much that all stops. */
export const LIVE_DROP_PROBABILITY = 0.3;
/** A switched-on slow ack arrives this many ack timeouts late: past any retry's patience. */
export const LIVE_SLOW_ACK_TIMEOUTS = 3;

/**
 * A fault a person injected during the run from the live view: a switch turned on (and how many
 * messages it dropped or held back while on), or workers killed with a key.
 */
export interface LiveFaultReport {
  readonly type: 'live';
  readonly action: LiveAction;
}

/** Every fault a report can list: the run's fault specs, the broker crash, the live ones. */
export type ReportedFault = FaultSpec | BrokerCrashFault | LiveFaultReport;

export function isLinkFault(fault: FaultSpec): fault is LinkFault {
  return fault.type === 'drop' || fault.type === 'delay';
}

/** Faults the fault layer on the dispatcher's link applies (./faulty-link.ts). */
export function needsFaultLayer(fault: FaultSpec): boolean {
  return (
    isLinkFault(fault) ||
    fault.type === 'duplicate' ||
    fault.type === 'reorder' ||
    fault.type === 'partition'
  );
}
