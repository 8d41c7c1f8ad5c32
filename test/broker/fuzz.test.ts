import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { kafkaFor, startTestBroker, RawClient } from './helpers.js';
import { ALL_APIS } from '../../src/broker/apis/index.js';
import { Writer } from '../../src/broker/protocol/writer.js';
import { Reader } from '../../src/broker/protocol/reader.js';
import { buildBatch } from '../../src/broker/records/batch.js';
import { rng } from '../seeded-random.js';


function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

function frame(apiKey: number, version: number, body: Buffer, correlationId = 1): Buffer {
  const w = new Writer();
  w.i32(0).i16(apiKey).i16(version).i32(correlationId).string('fuzz', false).raw(body);
  const out = w.result();
  out.writeInt32BE(out.length - 4, 0);
  return Buffer.from(out);
}

/** Sends bytes on a fresh socket and resolves once the broker closed it or `ms` passed (then we close it). */
function blast(port: number, bytes: Buffer[], ms = 300): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      for (const b of bytes) s.write(b);
    });
    s.on('data', () => {});
    s.on('error', () => {});
    const timer = setTimeout(() => {
      s.destroy();
      resolve('open');
    }, ms);
    s.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

async function healthy(port: number): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    const res = await c.request(18, 2, {});
    assert.equal(res.error_code, 0);
  } finally {
    c.close();
  }
}

test('malformed, truncated, oversized and unknown requests never take the broker down', async () => {
  const broker = await startTestBroker();
  const rand = rng(20241121);
  const kafka = kafkaFor(broker);
  const producer = kafka.producer();
  try {
    await producer.connect();
    await producer.send({ topic: 'safe', messages: [{ key: 'k', value: 'acknowledged' }] });

    const port = broker.port;
    // Frame-level garbage.
    assert.equal(await blast(port, [Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3])]), 'closed'); // oversized size
    assert.equal(await blast(port, [Buffer.from([0xff, 0xff, 0xff, 0xf0])]), 'closed'); // negative size
    assert.equal(await blast(port, [Buffer.from([0, 0, 0, 2, 0, 0])]), 'closed'); // too small for a header
    assert.equal(await blast(port, [frame(9999, 0, Buffer.alloc(0))]), 'closed'); // unknown api key
    assert.equal(await blast(port, [frame(3, 77, Buffer.alloc(0))]), 'closed'); // unsupported version
    assert.equal(await blast(port, [frame(3, 1, Buffer.from([0, 0, 0, 5, 0]))]), 'closed'); // truncated body
    // A client that vanishes mid-request.
    const half = frame(3, 1, Buffer.from([0, 0, 0, 0]));
    await blast(port, [half.subarray(0, 7)], 50);
    await healthy(port);

    // ApiVersions with an unsupported version gets a v0 body with UNSUPPORTED_VERSION, not a closed socket.
    const c = await RawClient.connect(port);
    const pending = c.nextFrame();
    c.writeRaw(frame(18, 99, Buffer.alloc(0), 42));
    const resp = await pending;
    const r = new Reader(resp);
    assert.equal(r.i32(), 42);
    assert.equal(r.i16(), 35);
    assert.ok(r.i32() > 5);
    c.close();

    // Random bodies for every API at every advertised version (pipelined on one socket per API).
    for (const api of ALL_APIS) {
      const frames: Buffer[] = [];
      for (let i = 0; i < 12; i++) {
        const version = api.minVersion + Math.floor(rand() * (api.maxVersion - api.minVersion + 1));
        frames.push(frame(api.key, version, randomBytes(rand, Math.floor(rand() * 64))));
      }
      await blast(port, frames, 150);
      await healthy(port);
    }

    // A produce with a corrupted CRC is refused per partition and nothing is appended.
    const batch = buildBatch({ baseOffset: 0n, baseTimestamp: BigInt(Date.now()), records: [{ offsetDelta: 0, timestampDelta: 0n, key: null, value: Buffer.from('bad'), headers: [] }] });
    batch[batch.length - 1] ^= 0xff;
    const pc = await RawClient.connect(port);
    const pr = await pc.request(0, 7, { transactional_id: null, acks: -1, timeout_ms: 1000, topic_data: [{ name: 'safe', partition_data: [{ index: 0, records: batch }] }] });
    assert.equal(pr.responses[0].partition_responses[0].error_code, 2);
    pc.close();

    // Still serving real clients, and acknowledged data is intact.
    const offsets = await kafka.admin();
    await offsets.connect();
    const topicOffsets = await offsets.fetchTopicOffsets('safe');
    assert.equal(topicOffsets[0]!.high, '1');
    await offsets.disconnect();
    await producer.send({ topic: 'safe', messages: [{ value: 'after fuzz' }] });
  } finally {
    await producer.disconnect();
    await broker.close();
  }
});
