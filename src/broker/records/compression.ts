/**
 * Record-batch compression codecs (attributes bits 0-2). The broker stores batches verbatim, so it only
 * (de)compresses when it must look inside: log compaction and tests. Libraries:
 * - gzip: node zlib.
 * - snappy: `snappy` (napi-rs, prebuilt per platform as npm packages). Kafka's Java producer writes
 *   xerial-framed snappy, librdkafka raw blocks: decompress accepts both.
 * - lz4: `lz4-napi` frame format (Kafka uses the LZ4 frame format since magic 1 fixed the checksum).
 * - zstd: `@bokuweb/zstd-wasm` (WebAssembly, no native build; Node 20 zlib has no zstd). Needs async init,
 *   done once by `initCompression()` which the broker awaits on start.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import snappy from 'snappy';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import * as zstd from '@bokuweb/zstd-wasm';

export enum Codec {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

let zstdReady: Promise<void> | null = null;
let zstdLoaded = false;

export async function initCompression(): Promise<void> {
  if (!zstdReady) zstdReady = zstd.init().then(() => { zstdLoaded = true; });
  await zstdReady;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

function snappyDecompress(data: Buffer): Buffer {
  if (data.length >= 16 && data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    // xerial framing: 8 magic + 4 version + 4 compat, then (int32 length, block)*
    const parts: Buffer[] = [];
    let pos = 16;
    while (pos + 4 <= data.length) {
      const len = data.readInt32BE(pos);
      pos += 4;
      if (len < 0 || pos + len > data.length) throw new Error('corrupt xerial snappy block');
      parts.push(snappy.uncompressSync(data.subarray(pos, pos + len)) as Buffer);
      pos += len;
    }
    return Buffer.concat(parts);
  }
  return snappy.uncompressSync(data) as Buffer;
}

export function decompress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case Codec.None: return data;
    case Codec.Gzip: return gunzipSync(data);
    case Codec.Snappy: return snappyDecompress(data);
    case Codec.Lz4: return decompressFrameSync(data);
    case Codec.Zstd:
      if (!zstdLoaded) throw new Error('zstd codec not initialised');
      return Buffer.from(zstd.decompress(data));
    default: throw new Error(`unknown compression codec ${codec}`);
  }
}

export function compress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case Codec.None: return data;
    case Codec.Gzip: return gzipSync(data);
    case Codec.Snappy: return snappy.compressSync(data);
    case Codec.Lz4: return compressFrameSync(data);
    case Codec.Zstd:
      if (!zstdLoaded) throw new Error('zstd codec not initialised');
      return Buffer.from(zstd.compress(data, 3));
    default: throw new Error(`unknown compression codec ${codec}`);
  }
}
