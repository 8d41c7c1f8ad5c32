/**
 * A growable output buffer and a cursor over input bytes, shared by the key and value codecs.
 * One writer per codec is reused across calls (the codecs are synchronous and never re-entered
 * mid-value except through their own nested helpers), so encoding a small key allocates only the
 * result.
 */

export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** unsigned LEB128, for lengths */
  varint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  /** a copy of what was written since the last reset */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /**
   * What was written, one char per byte. JS compares strings by UTF-16 code unit, so for these
   * "binary strings" string order equals byte order: the in-memory stores use them as sorted-map
   * keys because comparing two strings is far cheaper than calling Buffer.compare.
   */
  toBinaryString(): string {
    return this.buf.toString('latin1', 0, this.pos);
  }
}

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new StateCodecError(`truncated ${what} at byte ${this.pos}`);
  }

  byte(what: string): number {
    if (this.pos >= this.end) throw new StateCodecError(`truncated ${what} at byte ${this.pos}`);
    return this.buf[this.pos++]!;
  }

  varint(what: string): number {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte(what);
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
    throw new StateCodecError(`bad length in ${what} at byte ${this.pos}`);
  }
}

/** Raised for bytes that are not a valid encoding, and for values a codec cannot represent. */
export class StateCodecError extends Error {
  override name = 'StateCodecError';
}
