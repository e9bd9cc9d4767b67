import {
  LIVE_DROP_PROBABILITY,
  LIVE_SLOW_ACK_TIMEOUTS,
  type FaultSpec,
  type LiveSwitch,
} from './spec.js';

/**
 * Faults a person switches on and off during a run, from the live view's keys: the class watches
 * the counts move while the teacher drops acks or slows them down. They are applied by the same
 * fault layer as the run's own faults, and journalled the same way (marked live), so the final
 * table and `semlab trace` account for them.
 */
export class LiveFaults {
  private readonly on = new Set<LiveSwitch>();
  /** The specs of the switches on now: rebuilt when a switch moves, read for every message. */
  private specs: readonly FaultSpec[] = [];

  constructor(private readonly timeoutMs: number) {}

  set(which: LiveSwitch, on: boolean): void {
    if (on) this.on.add(which);
    else this.on.delete(which);
    this.specs = this.buildSpecs();
  }

  isOn(which: LiveSwitch): boolean {
    return this.on.has(which);
  }

  /** Workers cut off from the dispatcher with the live view's key (x, then the worker). */
  private readonly cut = new Set<string>();

  setCut(worker: string, on: boolean): void {
    if (on) this.cut.add(worker);
    else this.cut.delete(worker);
  }

  isCut(worker: string): boolean {
    return this.cut.has(worker);
  }

  /** The link faults switched on now, as fault specs the fault layer decides with. */
  linkFaults(): readonly FaultSpec[] {
    return this.specs;
  }

  private buildSpecs(): FaultSpec[] {
    const specs: FaultSpec[] = [];
    if (this.on.has('drop-work'))
      specs.push({ type: 'drop', direction: 'work', probability: LIVE_DROP_PROBABILITY });
    if (this.on.has('drop-ack'))
      specs.push({ type: 'drop', direction: 'ack', probability: LIVE_DROP_PROBABILITY });
    if (this.on.has('slow-ack')) {
      specs.push({
        type: 'delay',
        direction: 'ack',
        ms: LIVE_SLOW_ACK_TIMEOUTS * this.timeoutMs,
        probability: 1,
      });
    }
    return specs;
  }
}

/** Which live switch a journalled live fault entry belongs to. */
export function liveSwitchOf(entry: {
  fault: 'drop' | 'delay' | 'duplicate' | 'reorder' | 'partition';
  direction: 'work' | 'ack';
}): LiveSwitch {
  if (entry.fault === 'delay') return 'slow-ack';
  return entry.direction === 'work' ? 'drop-work' : 'drop-ack';
}
