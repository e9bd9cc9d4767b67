import { describe, expect, it } from 'vitest';
import {
  decodeAck,
  decodeAckPack,
  decodeWork,
  decodeWorkPack,
  encodeAck,
  encodeAckPack,
  encodeWork,
  encodeWorkPack,
} from './wire.js';

const WHERE = 'in the test';

describe('the wire codec', () => {
  it('keeps every message of a work pack, in order, each with its own instant', () => {
    const pack = [
      { epoch: 17, attempt: 1, at: 405 },
      { epoch: 18, attempt: 2, at: 407 },
      { epoch: 3, attempt: 1 },
    ];
    const text = encodeWorkPack(pack);
    expect(text).toBe('17:1@405 18:2@407 3:1');
    expect(decodeWorkPack(text, WHERE)).toEqual(pack);
  });

  it('reads a single message as a pack of one, so one decoder serves both', () => {
    const message = { epoch: 9, attempt: 3, at: 12 };
    expect(decodeWorkPack(encodeWork(message), WHERE)).toEqual([message]);
    const ack = { epoch: 9, attempt: 3, worker: 'w4' };
    expect(decodeAckPack(encodeAck(ack), WHERE)).toEqual([ack]);
  });

  it('keeps every ack of a pack, in order, with its worker', () => {
    const acks = [
      { epoch: 1, attempt: 1, worker: 'w2' },
      { epoch: 5, attempt: 3, worker: 'w2' },
    ];
    const text = encodeAckPack(acks);
    expect(text).toBe('1:1:w2 5:3:w2');
    expect(decodeAckPack(text, WHERE)).toEqual(acks);
  });

  it('refuses a damaged pack with the place it came from, rather than misreading it', () => {
    expect(() => decodeAckPack('1:1:w2 5:x:w2', WHERE)).toThrow(
      /malformed attempt 'x'.*in the test/,
    );
    expect(() => decodeWorkPack('1:1  2:1', WHERE)).toThrow(/malformed epoch/);
    // A pack read as one message would be misread: the single decoders refuse it instead.
    expect(() => decodeWork('1:1 2:1', WHERE)).toThrow(/malformed/);
    expect(() => decodeAck('1:1:w2 5:3:w2', WHERE)).toThrow(/malformed ack/);
    expect(() => decodeAck('1:1:w 2', WHERE)).toThrow(/malformed ack/);
    expect(decodeAck('1:1:w2', WHERE).worker).toBe('w2');
  });

  it('reads packs of any size and values back exactly, and odd forms as the single decoders do', () => {
    let seed = 11;
    const next = (limit: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % limit;
    };
    for (let round = 0; round < 500; round++) {
      const work = Array.from({ length: 1 + next(40) }, () => ({
        epoch: 1 + next(2 ** 31 - 1) * 1000,
        attempt: 1 + next(9),
        ...(next(2) === 0 ? { at: next(10 ** 9) } : {}),
      }));
      expect(decodeWorkPack(encodeWorkPack(work), WHERE)).toEqual(work);
      const worker = `w${1 + next(12)}`;
      const acks = work.map(({ epoch, attempt }) => ({ epoch, attempt, worker }));
      expect(decodeAckPack(encodeAckPack(acks), WHERE)).toEqual(acks);
    }
    // Forms encodeWork never writes: read as decodeWork and decodeAck read them.
    for (const text of ['007:1', '1:2:3', '1e3:1', '4:1@405.5', '4:1@0x10'])
      expect(decodeWorkPack(text, WHERE)).toEqual([decodeWork(text, WHERE)]);
    for (const text of ['007:1:w2', '1e2:1:w3'])
      expect(decodeAckPack(text, WHERE)).toEqual([decodeAck(text, WHERE)]);
    expect(() => decodeAckPack('1:1:w2 1:1:', WHERE)).toThrow(/malformed ack/);
    expect(() => decodeWorkPack('0:1', WHERE)).toThrow(/malformed epoch '0'/);
  });
});
