import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../../src/common/decimal.js';
import { deleteTaskState, openTaskState } from '../../src/runtime/state/leveldb-persistence.js';

async function tempDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'sluice-state-')), 'task-0_1');
}

const W = { retentionMs: 1000, sizeMs: 100 };
const S = { retentionMs: 1000 };

test('flushed state survives close and reopen; unflushed changes do not', async () => {
  const dir = await tempDir();
  try {
    const st = await openTaskState(dir);
    st.keyValue('kv').put(['a', 1n], { total: new Decimal('10.25') });
    st.keyValue('kv').put(['b', 2n], 'bee');
    st.window('win', W).put(['a'], 100, 5);
    st.session('sess', S).put({ key: ['a'], start: 1, end: 9, value: [1, 2] });
    const taken = st.takeChanges();
    assert.equal(taken.length, 4);
    await st.flush({ kv: 41, win: 7, sess: 3 });
    st.keyValue('kv').delete(['b', 2n]);
    await st.flush(); // untaken changes are written too
    st.keyValue('kv').put(['c', 3n], 'never flushed');
    await st.close();
    assert.throws(() => st.keyValue('kv'), /closed/);

    const again = await openTaskState(dir);
    assert.deepEqual(again.checkpoint(), { kv: 41, win: 7, sess: 3 });
    const kv = again.keyValue<{ total: Decimal }>('kv');
    assert.ok(kv.get(['a', 1n])!.total.equals(new Decimal('10.25')));
    assert.equal(kv.get(['b', 2n]), undefined);
    assert.equal(kv.get(['c', 3n]), undefined);
    assert.equal(again.window('win', W).get(['a'], 100), 5);
    assert.deepEqual([...again.session('sess', S).all()], [{ key: ['a'], start: 1, end: 9, value: [1, 2] }]);
    assert.deepEqual(again.takeChanges(), [], 'loading is not a change');
    await again.close();
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
});

test('restore applies a changelog tail, records its offset, and persists at the next flush', async () => {
  const dir = await tempDir();
  try {
    // the "changelog": changes captured on another instance
    const src = await openTaskState(`${dir}-src`);
    src.keyValue('kv').put(['x'], 1);
    src.keyValue('kv').put(['y'], 2);
    const tail = src.takeChanges();
    await src.destroy();

    const st = await openTaskState(dir);
    st.restore(tail, { kv: 99 });
    assert.deepEqual(st.checkpoint(), { kv: 99 });
    assert.equal(st.keyValue('kv').get(['y']), 2);
    assert.deepEqual(st.takeChanges(), [], 'restored records are not produced again');
    st.keyValue('kv').put(['y'], 3); // a newer change to a restored key wins
    await st.flush();
    await st.close();

    const again = await openTaskState(dir);
    assert.deepEqual(again.checkpoint(), { kv: 99 });
    assert.deepEqual([...again.keyValue('kv').all()], [[['x'], 1], [['y'], 3]]);
    await again.close();
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
});

test('destroy deletes the directory; a second open of the same directory is refused', async () => {
  const dir = await tempDir();
  try {
    const st = await openTaskState(dir);
    await assert.rejects(openTaskState(dir), /already open/);
    st.keyValue('kv').put(['a'], 1);
    await st.flush();
    await st.destroy();
    assert.equal(existsSync(dir), false);

    const fresh = await openTaskState(dir);
    assert.equal(fresh.keyValue('kv').size(), 0);
    await fresh.close();
    await deleteTaskState(dir);
    assert.equal(existsSync(dir), false);
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
});

test('store names with any characters map to separate key spaces', async () => {
  const dir = await tempDir();
  try {
    const st = await openTaskState(dir);
    const names = ['a', 'a!b', 'é/ü', 'a\0'];
    names.forEach((n, i) => st.keyValue(n).put(['k'], i));
    await st.flush();
    await st.close();
    const again = await openTaskState(dir);
    assert.deepEqual(names.map((n) => again.keyValue(n).get(['k'])), [0, 1, 2, 3]);
    assert.deepEqual(names.map((n) => again.keyValue(n).size()), [1, 1, 1, 1]);
    await again.close();
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
});

test('overlapping flushes land in call order; flush after close rejects', async () => {
  const dir = await tempDir();
  try {
    const st = await openTaskState(dir);
    const kv = st.keyValue('kv');
    kv.put(['k'], 'first');
    const a = st.flush({ kv: 1 });
    kv.put(['k'], 'second');
    const b = st.flush({ kv: 2 });
    await Promise.all([a, b]);
    assert.equal(st.store('kv'), kv);
    await st.close();
    await assert.rejects(st.flush(), /closed/);
    const again = await openTaskState(dir);
    assert.equal(again.keyValue('kv').get(['k']), 'second');
    assert.deepEqual(again.checkpoint(), { kv: 2 });
    await again.close();
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
});
