import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

/** Resolves once the clock has run out of things it can do on its own. */
async function settle(clock: VirtualClock): Promise<void> {
  for (let i = 0; i < 10_000 && !clock.idle; i++)
    await new Promise<void>((resolve) => setImmediate(resolve));
  // One more turn: the last step may still be scheduled.
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('VirtualClock', () => {
  it('runs events in instant order, and in scheduling order within an instant', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.after(300, () => seen.push(`c@${clock.now()}`));
    clock.after(100, () => seen.push(`a@${clock.now()}`));
    clock.after(100, () => seen.push(`b@${clock.now()}`));
    clock.after(0, () => seen.push(`z@${clock.now()}`));
    await settle(clock);
    expect(seen).toEqual(['z@0', 'a@100', 'b@100', 'c@300']);
    expect(clock.now()).toBe(300);
  });

  it('does not advance while real work is held, whatever the wall clock does', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const release = clock.hold('w1 holds epoch 1');
    clock.after(5, () => seen.push(clock.now()));
    // Real time passes well beyond the 5 ms timer; virtual time must not.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toEqual([]);
    expect(clock.now()).toBe(0);
    expect(clock.heldBy()).toEqual(['w1 holds epoch 1']);
    release();
    release(); // a second release is harmless
    await settle(clock);
    expect(seen).toEqual([5]);
  });

  it("lets an event's promise continuations run before the next event", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.after(10, () => {
      void Promise.resolve()
        .then(() => undefined)
        .then(() => {
          // Scheduled from a continuation of the first event: must come before the event at 20.
          clock.after(5, () => seen.push(`follow-up@${clock.now()}`));
        });
    });
    clock.after(20, () => seen.push(`second@${clock.now()}`));
    await settle(clock);
    expect(seen).toEqual(['follow-up@15', 'second@20']);
  });

  it('runs a step action before the event after that step, replayably', async () => {
    const record = async (atStep?: number): Promise<string[]> => {
      const clock = new VirtualClock();
      const seen: string[] = [];
      for (const at of [10, 20, 30]) clock.after(at, () => seen.push(`e${at}`));
      clock.atStep((step) => seen.push(`key@step${step}`), atStep);
      await settle(clock);
      return seen;
    };
    expect(await record()).toEqual(['key@step0', 'e10', 'e20', 'e30']);
    expect(await record(2)).toEqual(['e10', 'e20', 'key@step2', 'e30']);
  });

  it('skips cancelled events and runs interventions before time moves on', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const cancel = clock.after(10, () => seen.push('cancelled'));
    clock.after(20, () => seen.push(`kept@${clock.now()}`));
    cancel();
    clock.atQuiescence(() => seen.push(`key@${clock.now()}`));
    await settle(clock);
    expect(seen).toEqual(['key@0', 'kept@20']);
  });
});
