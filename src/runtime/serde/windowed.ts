/**
 * Windowed keys as Kafka Streams writes them for ksqlDB's windowed tables:
 *  - TIME (tumbling/hopping): TimeWindowedSerializer = inner key bytes + 8-byte big-endian
 *    window start. The end is not stored; readers add the window size (ksqlDB passes it to
 *    TimeWindowedDeserializer), so pass `windowSizeMs` to get `end` back.
 *  - SESSION: SessionWindowedSerializer (SessionKeySchema.toBinary) = inner key bytes +
 *    8-byte end + 8-byte start, both big-endian.
 */
import { SerdeError } from './errors.js';
import type { RowSerde } from './types.js';

export interface WindowBounds {
  start: number;
  end?: number;
}

export interface WindowedKey {
  key: unknown[] | null;
  window: WindowBounds;
}

export interface WindowedKeySerde {
  deserialize(data: Buffer | null): WindowedKey | null;
  serialize(value: WindowedKey | null): Buffer | null;
}

const LONG_MAX = 2n ** 63n - 1n;

function timeToLong(ms: number, what: string): bigint {
  if (!Number.isSafeInteger(ms)) throw new SerdeError(`Window ${what} must be an integer number of milliseconds, got ${ms}`);
  return BigInt(ms);
}

/** Append the window bytes Kafka Streams stores after the inner key bytes. */
export function appendWindow(keyBytes: Buffer, kind: 'TIME' | 'SESSION', window: WindowBounds): Buffer {
  const suffix = kind === 'TIME' ? 8 : 16;
  const out = Buffer.alloc(keyBytes.length + suffix);
  keyBytes.copy(out, 0);
  if (kind === 'TIME') {
    out.writeBigInt64BE(timeToLong(window.start, 'start'), keyBytes.length);
  } else {
    if (window.end === undefined) throw new SerdeError('A session window needs an end');
    out.writeBigInt64BE(timeToLong(window.end, 'end'), keyBytes.length);
    out.writeBigInt64BE(timeToLong(window.start, 'start'), keyBytes.length + 8);
  }
  return out;
}

/**
 * Split windowed key bytes into the inner key bytes and the window. For TIME windows the end
 * is start + windowSizeMs when the size is given (saturating at Long.MAX_VALUE, as TimeWindow
 * does), else absent.
 */
export function splitWindow(
  data: Buffer,
  kind: 'TIME' | 'SESSION',
  windowSizeMs?: number,
): { keyBytes: Buffer; window: WindowBounds } {
  const suffix = kind === 'TIME' ? 8 : 16;
  if (data.length < suffix) {
    throw new SerdeError(`Windowed key of ${data.length} bytes is too short for a ${kind} window (needs ${suffix})`);
  }
  const keyBytes = Buffer.from(data.subarray(0, data.length - suffix));
  if (kind === 'TIME') {
    const start = data.readBigInt64BE(data.length - 8);
    const window: WindowBounds = { start: Number(start) };
    if (windowSizeMs !== undefined) {
      const end = start + BigInt(windowSizeMs);
      window.end = Number(end > LONG_MAX ? LONG_MAX : end);
    }
    return { keyBytes, window };
  }
  const end = data.readBigInt64BE(data.length - 16);
  const start = data.readBigInt64BE(data.length - 8);
  return { keyBytes, window: { start: Number(start), end: Number(end) } };
}

export function windowedKeySerde(inner: RowSerde, kind: 'TIME' | 'SESSION', windowSizeMs?: number): WindowedKeySerde {
  return {
    deserialize(data) {
      // Kafka Streams' windowed deserializers treat null and empty alike: no key at all
      if (data === null || data.length === 0) return null;
      const { keyBytes, window } = splitWindow(data, kind, windowSizeMs);
      return { key: inner.deserialize(keyBytes), window };
    },
    serialize(value) {
      if (value === null) return null;
      const keyBytes = inner.serialize(value.key);
      if (keyBytes === null) throw new SerdeError('Cannot write a windowed key whose key serialises to null');
      return appendWindow(keyBytes, kind, value.window);
    },
  };
}
