/** The pieces of pull-query routing that need no cluster: lookup keys, request properties, advertised endpoints. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlType } from '../../src/common/types.js';
import { lookupKeys } from '../../src/engine/pull-keys.js';
import { parseStatements } from '../../src/parser/index.js';
import type { Expr } from '../../src/parser/ast.js';
import { advertisedListenerFor } from '../../src/server/advertised-listener.js';
import { parsePartitions } from '../../src/server/pull-routing.js';

function where(cond: string): Expr | undefined {
  const [ps] = parseStatements(`SELECT * FROM T WHERE ${cond};`);
  const s = ps!.statement;
  assert.equal(s.type, 'Query');
  return s.type === 'Query' ? s.query.where : undefined;
}

const key = (kind: 'STRING' | 'INTEGER' | 'BIGINT') => [{ name: 'K', type: { kind } as SqlType }];

test('lookup keys: = and IN on the key, alone or ANDed with other conditions, as runtime values', () => {
  assert.deepEqual(lookupKeys(where("K = 'a'"), key('STRING')), ['a']);
  assert.deepEqual(lookupKeys(where("'a' = K"), key('STRING')), ['a']);
  assert.deepEqual(lookupKeys(where("K IN ('b', 'a') AND X > 1"), key('STRING')), ['b', 'a']);
  assert.deepEqual(lookupKeys(where('X > 1 AND K = 5'), key('INTEGER')), [5]);
  assert.deepEqual(lookupKeys(where('K = 9007199254740993'), key('BIGINT')), [9007199254740993n]);
});

test('lookup keys: anything that may match other keys asks every task', () => {
  assert.equal(lookupKeys(undefined, key('STRING')), undefined);
  assert.equal(lookupKeys(where("K = 'a' OR K = 'b'"), key('STRING')), undefined);
  assert.equal(lookupKeys(where("K > 'a'"), key('STRING')), undefined);
  assert.equal(lookupKeys(where("K NOT IN ('a')"), key('STRING')), undefined);
  assert.equal(lookupKeys(where("X = 'a'"), key('STRING')), undefined);
  // a literal of another type is converted by the query, not guessed here
  assert.equal(lookupKeys(where("K = '5'"), key('INTEGER')), undefined);
  assert.equal(lookupKeys(where("K = 'a'"), [...key('STRING'), { name: 'K2', type: { kind: 'STRING' } as SqlType }]), undefined);
});

test('request.ksql.query.pull.partition: a comma list, a JSON list or a number', () => {
  assert.deepEqual(parsePartitions('0,2'), [0, 2]);
  assert.deepEqual(parsePartitions(' 3 '), [3]);
  assert.deepEqual(parsePartitions([1, 2]), [1, 2]);
  assert.deepEqual(parsePartitions(4), [4]);
  assert.equal(parsePartitions(''), undefined);
  assert.equal(parsePartitions(undefined), undefined);
  assert.throws(() => parsePartitions('a,1'), /Invalid value for request\.ksql\.query\.pull\.partition: 'a,1'/);
  assert.throws(() => parsePartitions('-1'), /Invalid value/);
});

test('the advertised endpoint: ksql.advertised.listener, else the listener with the bound port and no wildcard host', async () => {
  assert.equal(await advertisedListenerFor({ 'ksql.advertised.listener': 'http://ksql-1.example:8088/' }, 'http://0.0.0.0:8088'), 'http://ksql-1.example:8088');
  assert.equal(await advertisedListenerFor({}, 'http://127.0.0.1:0', 41234), 'http://127.0.0.1:41234');
  assert.equal(await advertisedListenerFor({}, 'https://10.1.2.3:8443'), 'https://10.1.2.3:8443');
  const wild = new URL(await advertisedListenerFor({}, 'http://0.0.0.0:8088'));
  assert.notEqual(wild.hostname, '0.0.0.0');
  assert.equal(wild.port, '8088');
  await assert.rejects(advertisedListenerFor({ 'ksql.advertised.listener': 'not a url' }, 'http://0.0.0.0:8088'), /Invalid ksql\.advertised\.listener 'not a url'/);
});
