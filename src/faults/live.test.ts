import { describe, expect, it } from 'vitest';
import { LiveFaults, liveSwitchOf } from './live.js';

describe('LiveFaults', () => {
  it('turns switches into the fault specs the fault layer decides with, and back off', () => {
    const live = new LiveFaults(200);
    expect(live.linkFaults()).toEqual([]);
    live.set('drop-work', true);
    live.set('slow-ack', true);
    expect(live.linkFaults()).toEqual([
      { type: 'drop', direction: 'work', probability: 0.3 },
      { type: 'delay', direction: 'ack', ms: 600, probability: 1 },
    ]);
    // Pausing is the dispatcher's business, not a link fault.
    live.set('pause', true);
    expect(live.linkFaults()).toHaveLength(2);
    live.set('drop-work', false);
    expect(live.linkFaults()).toEqual([
      { type: 'delay', direction: 'ack', ms: 600, probability: 1 },
    ]);
    expect(live.isOn('pause')).toBe(true);
  });

  it('tells which switch a journalled live fault came from', () => {
    expect(liveSwitchOf({ fault: 'drop', direction: 'work' })).toBe('drop-work');
    expect(liveSwitchOf({ fault: 'drop', direction: 'ack' })).toBe('drop-ack');
    expect(liveSwitchOf({ fault: 'delay', direction: 'ack' })).toBe('slow-ack');
  });
});
