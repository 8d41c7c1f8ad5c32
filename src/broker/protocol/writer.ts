/** Growable big-endian writer for Kafka responses and record batches. */
export class Writer {
  buf: Buffer;
  pos = 0;
  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  i8(v: number): this { this.ensure(1); this.buf.writeInt8(v, this.pos); this.pos += 1; return this; }
  u8(v: number): this { this.ensure(1); this.buf[this.pos++] = v & 0xff; return this; }
  i16(v: number): this { this.ensure(2); this.buf.writeInt16BE(v, this.pos); this.pos += 2; return this; }
  u16(v: number): this { this.ensure(2); this.buf.writeUInt16BE(v, this.pos); this.pos += 2; return this; }
  i32(v: number): this { this.ensure(4); this.buf.writeInt32BE(v, this.pos); this.pos += 4; return this; }
  u32(v: number): this { this.ensure(4); this.buf.writeUInt32BE(v >>> 0, this.pos); this.pos += 4; return this; }
  i64(v: bigint): this { this.ensure(8); this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.pos); this.pos += 8; return this; }
  f64(v: number): this { this.ensure(8); this.buf.writeDoubleBE(v, this.pos); this.pos += 8; return this; }
  bool(v: boolean): this { return this.u8(v ? 1 : 0); }

  raw(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  uvarint(v: number): this {
    let n = v;
    while (n >= 0x80) {
      this.u8((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    return this.u8(n);
  }

  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  varlong(v: bigint): this {
    let n = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (n >= 0x80n) {
      this.u8(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    return this.u8(Number(n));
  }

  string(v: string | null | undefined, flexible: boolean): this {
    if (v === null || v === undefined) return flexible ? this.uvarint(0) : this.i16(-1);
    const b = Buffer.from(v, 'utf8');
    if (flexible) this.uvarint(b.length + 1);
    else this.i16(b.length);
    return this.raw(b);
  }

  bytes(v: Buffer | null | undefined, flexible: boolean): this {
    if (v === null || v === undefined) return flexible ? this.uvarint(0) : this.i32(-1);
    if (flexible) this.uvarint(v.length + 1);
    else this.i32(v.length);
    return this.raw(v);
  }

  arrayLength(n: number | null, flexible: boolean): this {
    if (n === null) return flexible ? this.uvarint(0) : this.i32(-1);
    return flexible ? this.uvarint(n + 1) : this.i32(n);
  }

  emptyTags(): this {
    return this.u8(0);
  }

  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
