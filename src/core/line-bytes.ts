/**
 * The journal's lines as bytes, built in place: text pieces, whole numbers and wall-clock
 * milliseconds are written straight into one growable buffer, which is handed to write(2) as is.
 *
 * Why not strings: every message puts two lines in the dispatcher's journal and three in a
 * worker's. Built as template strings, each line cost a handful of intermediate strings, a
 * number-to-text conversion per field, and a UTF-8 conversion of the whole batch at write time;
 * in a profile of a virtual-clock run the journal was the largest allocator of the dispatcher
 * (about 1.1 KB per message, of 6.5). Here a line allocates nothing.
 *
 * Contract: the bytes are exactly what JSON.stringify writes for the same values (whole numbers
 * in decimal, other numbers as String() writes them, text as given), so a line built here and one
 * built from JSON.stringify are identical (src/core/journal.test.ts holds them together).
 */
export class LineBytes {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  /** Bytes written so far (the lines not yet handed to the file). */
  length = 0;

  /** Text of any kind (UTF-8). */
  text(text: string): void {
    this.room(3 * text.length);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** Bytes made once (see `ascii`): the constant pieces of a line. */
  bytes(bytes: Uint8Array): void {
    const count = bytes.length;
    this.room(count);
    // A loop: the pieces are a few bytes, for which TypedArray.prototype.set costs more.
    const buffer = this.buffer;
    const at = this.length;
    for (let i = 0; i < count; i++) buffer[at + i] = bytes[i] as number;
    this.length = at + count;
  }

  /** A number as JSON writes it: digits for a whole number, String() for anything else. */
  number(value: number): void {
    if (Number.isSafeInteger(value) && value >= 0) this.digits(value);
    else this.text(String(value));
  }

  /**
   * `micros / 1000` as JSON writes that number (micros: whole microseconds, not negative): the
   * journal's wall-clock `t`, with three decimals at most and no trailing zeros ("17.25").
   */
  milliseconds(micros: number): void {
    const whole = Math.floor(micros / 1000);
    // The whole milliseconds change once a millisecond: their digits are kept until then.
    if (whole !== this.lastWholeMs) {
      this.lastWholeMs = whole;
      const start = this.length;
      this.digits(whole);
      this.lastWholeMsBytes = Uint8Array.prototype.slice.call(this.buffer, start, this.length);
    } else {
      this.bytes(this.lastWholeMsBytes);
    }
    const fraction = micros - whole * 1000;
    if (fraction === 0) return;
    // ".d", ".dd" or ".ddd": trailing zeros dropped, as JSON writes a fraction.
    const hundreds = Math.floor(fraction / 100);
    const tens = Math.floor(fraction / 10) % 10;
    const units = fraction % 10;
    const places = units !== 0 ? 3 : tens !== 0 ? 2 : 1;
    this.room(4);
    const buffer = this.buffer;
    buffer[this.length] = DOT;
    buffer[this.length + 1] = ZERO + hundreds;
    if (places > 1) buffer[this.length + 2] = ZERO + tens;
    if (places > 2) buffer[this.length + 3] = ZERO + units;
    this.length += 1 + places;
  }

  private lastWholeMs = -1;
  private lastWholeMsBytes = new Uint8Array(0);

  /** What was written, as one view (valid until the next write after `clear`). */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  /** A whole number 0 <= value <= 2^53 - 1 in decimal. */
  private digits(value: number): void {
    let count = 1;
    for (let power = 10; power <= value; power *= 10) count++;
    this.room(count);
    const buffer = this.buffer;
    let rest = value;
    let place = count - 1;
    // Small integer arithmetic while it fits (epochs, attempts, instants); doubles above.
    for (; rest > 0x7fffffff; place--) {
      buffer[this.length + place] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    for (; place >= 0; place--) {
      buffer[this.length + place] = ZERO + (rest % 10);
      rest = (rest / 10) | 0;
    }
    this.length += count;
  }

  private room(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + extra));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}

/** A constant piece of a line, encoded once. */
export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

const ZERO = 0x30;
const DOT = 0x2e;
