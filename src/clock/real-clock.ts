import type { Cancel, Clock, Release } from './clock.js';

const NO_RELEASE: Release = () => undefined;

/** Wall time and Node's timers: what the machine does, load included. */
export class RealClock implements Clock {
  readonly kind = 'real' as const;
  private readonly startedAt = performance.now();

  now(): number {
    return performance.now() - this.startedAt;
  }

  after(ms: number, action: () => void): Cancel {
    const timer = setTimeout(action, ms);
    return () => clearTimeout(timer);
  }

  hold(): Release {
    return NO_RELEASE;
  }
}
