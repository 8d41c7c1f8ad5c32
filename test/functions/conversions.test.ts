import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { b64, fn } from './helpers.js';

describe('bytes and encoding functions', () => {
  it('TO_BYTES / FROM_BYTES round trips per encoding', () => {
    assert.equal(fn('from_bytes', b64('GrI='), 'hex'), '1AB2');
    assert.equal((fn('to_bytes', '1aB2', 'hex') as Buffer).toString('base64'), 'GrI=');
    assert.equal(fn('from_bytes', b64('IQ=='), 'ascii'), '!');
    assert.equal(fn('from_bytes', fn('to_bytes', 'Übermensch', 'utf8'), 'utf8'), 'Übermensch');
    assert.equal(fn('from_bytes', Buffer.from('hi'), 'base64'), 'aGk=');
    assert.throws(() => fn('to_bytes', 'x', 'ebcdic'), /hex, utf8, ascii and base64/);
    assert.throws(() => fn('to_bytes', 'abc', 'hex'), /Invalid hex/);
    assert.throws(() => fn('to_bytes', '0x21', 'hex'), /Invalid hex/);
  });

  it('ENCODE between text encodings', () => {
    assert.equal(fn('encode', '4578616d706C6521', 'hex', 'ascii'), 'Example!');
    assert.equal(fn('encode', '0x4578616d706C6521', 'hex', 'base64'), 'RXhhbXBsZSE=');
    assert.equal(fn('encode', "X'4578616d706C6521'", 'hex', 'utf8'), 'Example!');
    assert.equal(fn('encode', 'c39c6265726d656e736368', 'hex', 'ascii'), '\ufffd\ufffdbermensch');
    assert.equal(fn('encode', 'RXhhbXBsZSE=', 'base64', 'hex'), '4578616d706c6521');
    assert.equal(fn('encode', '0x', 'hex', 'utf8'), '');
    assert.equal(fn('encode', '0x578616d706C6521', 'hex', 'base64'), 'BXhhbXBsZSE=');
    assert.throws(() => fn('encode', "X'", 'hex', 'utf8'), /Invalid hex/);
    assert.throws(() => fn('encode', '0x0x', 'hex', 'utf8'), /Invalid hex/);
    assert.throws(() => fn('encode', '578616d706C6521', 'hex', 'utf8'), /Invalid hex/);
  });

  it('INT/BIGINT/DOUBLE_FROM_BYTES in both byte orders, rejecting wrong sizes', () => {
    assert.equal(fn('int_from_bytes', b64('AAAH5Q==')), 2021);
    assert.equal(fn('bigint_from_bytes', b64('AAAAASoF8gA=')), 5000000000n);
    assert.equal(fn('double_from_bytes', b64('QICm/ZvJ9YI=')), 532.8738323);
    assert.equal(fn('int_from_bytes', b64('5QcAAA=='), 'LITTLE_ENDIAN'), 2021);
    assert.equal(fn('bigint_from_bytes', b64('APIFKgEAAAA='), 'LITTLE_ENDIAN'), 5000000000n);
    assert.throws(() => fn('int_from_bytes', Buffer.from([1, 2])), /equal to 4/);
    assert.throws(() => fn('int_from_bytes', b64('AAAH5Q=='), 'MIDDLE'), /BIG_ENDIAN or LITTLE_ENDIAN/);
  });
});

describe('url functions', () => {
  it('encodes and decodes parameters as java.net.URLEncoder does', () => {
    assert.equal(fn('url_encode_param', '?foo $bar'), '%3Ffoo+%24bar');
    assert.equal(fn('url_decode_param', '%3Ffoo+%24bar'), '?foo $bar');
    assert.equal(fn('url_decode_param', 'nothing'), 'nothing');
  });

  it('extracts URL parts, null when absent', () => {
    assert.equal(fn('url_extract_fragment', 'http://www.test.com/?query#fragment'), 'fragment');
    assert.equal(fn('url_extract_fragment', 'http://www.nofragment.com'), null);
    assert.equal(fn('url_extract_host', 'http://test@confluent.io:8080'), 'confluent.io');
    assert.equal(fn('url_extract_port', 'http://test@confluent.io:8080/nested/path?query&jobs'), 8080);
    assert.equal(fn('url_extract_port', 'http://test@confluent.io'), null);
    assert.equal(fn('url_extract_protocol', 'https://test@confluent.io:8080/nested'), 'https');
    assert.equal(fn('url_extract_protocol', 'www.confluent.io'), null);
    assert.equal(fn('url_extract_query', 'http://www.test.com/path?q1&q2'), 'q1&q2');
    assert.equal(fn('url_extract_query', 'http://test@confluent.io:8080/path'), null);
    assert.equal(fn('url_extract_path', 'http://test@confluent.io:8080/nested/path?q=2'), '/nested/path');
    assert.equal(fn('url_extract_parameter', 'http://www.test.com/?one=a&two=b&three', 'two'), 'b');
    assert.equal(fn('url_extract_parameter', 'http://www.test.com/?one=a&two=b&three', 'four'), null);
    assert.equal(fn('url_extract_parameter', 'http://www.test.com/?one=a&two=b&three', 'three'), '');
    assert.equal(fn('url_extract_parameter', 'http://www.test.com/?one=a&two=url%20encoded', 'two'), 'url encoded');
    assert.throws(() => fn('url_extract_host', 'http://bad host/'), /invalid syntax/);
    assert.throws(() => fn('url_extract_host', 'http://host/%zz'), /invalid syntax/);
  });
});
