/**
 * Bounds-checked reader over a Kafka request body. Every read throws ProtocolError on truncation so a
 * malformed frame becomes a closed connection instead of a crash or an out-of-range read.
 */
export class ProtocolError extends Error {}

export class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new ProtocolError(`truncated input: need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
  }

  i8(): number { this.need(1); const v = this.buf.readInt8(this.pos); this.pos += 1; return v; }
  u8(): number { this.need(1); const v = this.buf[this.pos]!; this.pos += 1; return v; }
  i16(): number { this.need(2); const v = this.buf.readInt16BE(this.pos); this.pos += 2; return v; }
  u16(): number { this.need(2); const v = this.buf.readUInt16BE(this.pos); this.pos += 2; return v; }
  i32(): number { this.need(4); const v = this.buf.readInt32BE(this.pos); this.pos += 4; return v; }
  u32(): number { this.need(4); const v = this.buf.readUInt32BE(this.pos); this.pos += 4; return v; }
  i64(): bigint { this.need(8); const v = this.buf.readBigInt64BE(this.pos); this.pos += 8; return v; }
  f64(): number { this.need(8); const v = this.buf.readDoubleBE(this.pos); this.pos += 8; return v; }
  bool(): boolean { return this.u8() !== 0; }

  bytesRaw(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** Unsigned LEB128 varint as used by flexible versions (not zigzag). Max 5 bytes for 32 bits. */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
    throw new ProtocolError('unsigned varint too long');
  }

  /** Zigzag varint (record batch encoding), up to 32 bits. */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Zigzag varlong (record timestamps), up to 64 bits, returned as bigint. */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
      shift += 7n;
    }
    throw new ProtocolError('varlong too long');
  }

  string(flexible: boolean): string | null {
    const len = flexible ? this.uvarint() - 1 : this.i16();
    if (len < 0) return null;
    return this.bytesRaw(len).toString('utf8');
  }

  bytes(flexible: boolean): Buffer | null {
    const len = flexible ? this.uvarint() - 1 : this.i32();
    if (len < 0) return null;
    return this.bytesRaw(len);
  }

  /** Array length, -1 (null) allowed. A count larger than the remaining bytes is rejected up front. */
  arrayLength(flexible: boolean): number {
    const n = flexible ? this.uvarint() - 1 : this.i32();
    if (n > this.remaining()) throw new ProtocolError(`array length ${n} exceeds remaining ${this.remaining()} bytes`);
    return n;
  }

  /** Skips (returns raw) the tagged-field section of a flexible struct. */
  taggedFields(): Map<number, Buffer> {
    const count = this.uvarint();
    const out = new Map<number, Buffer>();
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      out.set(tag, this.bytesRaw(size));
    }
    return out;
  }
}
