// Primitive encodings of the wire protocol (PROTOCOL.md "Primitive
// encodings"): u8, u16, u32 and u64 big-endian, uvarint (LEB128 as Go's
// encoding/binary), svarint (zigzag), string (uvarint length + UTF-8).
//
// Integers that fit are plain numbers; u64 values (the epoch) are bigints.
// A uvarint above 2^53 - 1 cannot be held exactly in a number and is refused.

/** ProtocolError is thrown by every decoder for bytes that break the protocol. */
export class ProtocolError extends Error {
  constructor(reason: string) {
    super('sketchpad: ' + reason);
    this.name = 'ProtocolError';
  }
}

const MAX_U32 = 0xffffffff;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** utf8Length returns how many bytes s takes in UTF-8. */
export function utf8Length(s: string): number {
  return utf8Encoder.encode(s).length;
}

/**
 * ByteReader walks a byte array. Every read checks the bytes left and throws
 * a ProtocolError when they do not suffice.
 */
export class ByteReader {
  private pos: number;
  private readonly end: number;

  constructor(private readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  /** Bytes left to read. */
  remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw new ProtocolError('truncated message');
    return this.buf[this.pos++];
  }

  /** peekU8 returns the next byte without reading it. */
  peekU8(): number {
    if (this.pos >= this.end) throw new ProtocolError('truncated message');
    return this.buf[this.pos];
  }

  u16(): number {
    return this.u8() * 0x100 + this.u8();
  }

  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
  }

  u64(): bigint {
    const hi = this.u32();
    const lo = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** uvarint reads an unsigned LEB128 value of at most 10 bytes. */
  uvarint(): number {
    // Most varints are one byte (counts, flags, a point's step): that case
    // inlines where it is read; the loop below is the rest.
    const p = this.pos;
    if (p < this.end) {
      const b = this.buf[p];
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    return this.uvarintLong();
  }

  private uvarintLong(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) throw new ProtocolError('truncated message');
      const b = this.buf[this.pos++];
      if (i === 9 && b > 1) throw new ProtocolError('malformed varint');
      if (i >= 8 && (b & 0x7f) !== 0) {
        // Bits 56 and above: a value no number holds exactly.
        throw new ProtocolError('varint too large');
      }
      result += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    if (result > Number.MAX_SAFE_INTEGER) throw new ProtocolError('varint too large');
    return result;
  }

  /** uvarint32 reads a uvarint that must fit in 32 bits (ids, strokes). */
  uvarint32(what: string): number {
    const v = this.uvarint();
    if (v > MAX_U32) throw new ProtocolError(`${what} out of range`);
    return v;
  }

  /** svarint reads a zigzag-encoded signed varint. */
  svarint(): number {
    // A snapshot holds millions of points, two of these each: a step of up
    // to 2^20 (three bytes) is decoded here. The result is always worked
    // out in 32-bit integers when it fits them: a coordinate that went
    // through a division comes out as a float, and a float stored in a
    // point makes every point of that shape keep its x and y boxed (twice
    // the memory, and the garbage collector's work, of a big board).
    const p = this.pos;
    let u: number;
    if (p + 2 < this.end) {
      const b = this.buf;
      const b0 = b[p];
      if (b0 < 0x80) {
        this.pos = p + 1;
        return (b0 >>> 1) ^ -(b0 & 1);
      }
      const b1 = b[p + 1];
      if (b1 < 0x80) {
        this.pos = p + 2;
        u = (b0 & 0x7f) | (b1 << 7);
        return (u >>> 1) ^ -(u & 1);
      }
      const b2 = b[p + 2];
      if (b2 < 0x80) {
        this.pos = p + 3;
        u = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
        return (u >>> 1) ^ -(u & 1);
      }
    }
    u = this.uvarintLong();
    if (u <= MAX_U32) return (u >>> 1) ^ -(u & 1);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /**
   * count reads an element count and checks it against max and against the
   * bytes left (each element needs at least minSize bytes), before anything
   * is allocated for the elements.
   */
  count(what: string, max: number, minSize: number): number {
    const n = this.uvarint();
    if (n > max) throw new ProtocolError(`${what} count ${n} over limit ${max}`);
    if (n * minSize > this.remaining()) throw new ProtocolError('truncated message');
    return n;
  }

  /** bytes returns the next n bytes (a view, not a copy). */
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** str reads a UTF-8 string of at most max bytes. */
  str(what: string, max: number): string {
    const n = this.uvarint();
    if (n > max) throw new ProtocolError(`${what} longer than ${max} bytes`);
    const b = this.bytes(n);
    try {
      return utf8Decoder.decode(b);
    } catch {
      throw new ProtocolError(`${what} is not UTF-8`);
    }
  }

  /** done throws if bytes remain. */
  done(): void {
    if (this.pos !== this.end) throw new ProtocolError('trailing bytes after message');
  }

  private need(n: number): void {
    if (this.end - this.pos < n) throw new ProtocolError('truncated message');
  }
}

/** ByteWriter builds a byte array; it grows as needed. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** length is the number of bytes written so far. */
  get length(): number {
    return this.len;
  }

  /** bytes returns a copy of what was written. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  u8(v: number): this {
    this.grow(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }

  u32(v: number): this {
    this.grow(4);
    const b = this.buf;
    b[this.len] = (v >>> 24) & 0xff;
    b[this.len + 1] = (v >>> 16) & 0xff;
    b[this.len + 2] = (v >>> 8) & 0xff;
    b[this.len + 3] = v & 0xff;
    this.len += 4;
    return this;
  }

  u64(v: bigint): this {
    const x = BigInt.asUintN(64, v);
    return this.u32(Number(x >> 32n)).u32(Number(x & 0xffffffffn));
  }

  /** uvarint writes v (an integer in 0..2^53-1) as unsigned LEB128. */
  uvarint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`uvarint out of range: ${v}`);
    this.grow(10);
    const b = this.buf;
    while (v >= 0x80) {
      b[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[this.len++] = v;
    return this;
  }

  /** svarint writes v zigzag-encoded. */
  svarint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  str(s: string): this {
    const b = utf8Encoder.encode(s);
    return this.uvarint(b.length).raw(b);
  }

  raw(b: Uint8Array): this {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
}

/** toHex returns the lowercase hex of b. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/** fromHex parses lowercase or uppercase hex. */
export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error('bad hex');
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(s.substr(i * 2, 2), 16);
  return b;
}
