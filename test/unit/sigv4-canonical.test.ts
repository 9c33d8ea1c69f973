import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaders, canonicalQuery, canonicalUri, uriEncode } from '../../src/auth/sigv4-canonical.ts';

describe('SigV4 canonical request pieces', () => {
  test('uriEncode leaves unreserved characters and encodes everything else with upper-case hex', () => {
    assert.equal(uriEncode('AZaz09-._~'), 'AZaz09-._~');
    assert.equal(uriEncode("a b/c=d+e!'()*%"), 'a%20b%2Fc%3Dd%2Be%21%27%28%29%2A%25');
    assert.equal(uriEncode('ü'), '%C3%BC');
  });

  test('canonicalUri encodes each raw segment once more and keeps the slashes', () => {
    assert.equal(canonicalUri('/attached-policies/arn%3Aaws%3Aiot%2Fx'), '/attached-policies/arn%253Aaws%253Aiot%252Fx');
    assert.equal(canonicalUri('/certificates/abab'), '/certificates/abab');
    assert.equal(canonicalUri('/a:b/c d'), '/a%3Ab/c%20d');
    assert.equal(canonicalUri(''), '/');
  });

  test('canonicalUri does not normalise dot segments or double slashes', () => {
    assert.equal(canonicalUri('/a/../b//c/./d'), '/a/../b//c/./d');
  });

  test('canonicalQuery decodes, re-encodes and sorts by name then value', () => {
    assert.equal(canonicalQuery('b=2&a=2&a=1&c'), 'a=1&a=2&b=2&c=');
    assert.equal(canonicalQuery('marker=a%3Db%2Fc&pageSize=3'), 'marker=a%3Db%2Fc&pageSize=3');
    assert.equal(canonicalQuery('x=%7e%21'), 'x=~%21');
    assert.equal(canonicalQuery(''), '');
    assert.equal(canonicalQuery('&&a=1&'), 'a=1');
  });

  test('canonicalQuery reads + as a space, as the route query parser does', () => {
    assert.equal(canonicalQuery('q=a+b'), 'q=a%20b');
  });

  test('canonicalQuery throws on malformed percent-encoding', () => {
    assert.throws(() => canonicalQuery('a=%E0%A4%A'), URIError);
  });

  test('canonicalHeaders lists exactly the signed headers, trimmed and with inner whitespace squashed', () => {
    const headers = { host: ' example.test ', 'x-amz-date': '20261126T124225Z', 'x-meta': 'a   b\t c', 'user-agent': 'ua' };
    assert.equal(canonicalHeaders(headers, ['host', 'x-amz-date', 'x-meta']), 'host:example.test\nx-amz-date:20261126T124225Z\nx-meta:a b c\n');
  });

  test('canonicalHeaders joins repeated header values with commas and treats a missing one as empty', () => {
    assert.equal(canonicalHeaders({ 'x-a': ['1', '2'] }, ['x-a', 'x-b']), 'x-a:1,2\nx-b:\n');
  });
});
