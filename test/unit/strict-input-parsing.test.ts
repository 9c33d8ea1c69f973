/** The pure parts of strict input: which query parameters must be decimal integers, and reading a body's charset. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import path from 'node:path';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../../src/config.ts';
import { declaredCharset, decodeJsonText } from '../../src/http/body-charset.ts';
import { numericQueryParameters } from '../../src/http/strict-numbers.ts';

describe('strict input parsing', () => {
  test('every integer query parameter of the spec is found: pageSize of the five list operations, the audit events limit', () => {
    const found = Object.fromEntries(numericQueryParameters(YAML.parse(readFileSync(path.join(PROJECT_ROOT, 'openapi', 'certguard.yaml'), 'utf8'))));
    assert.deepEqual(found, {
      ListCertificates: ['pageSize'],
      ListPolicies: ['pageSize'],
      ListPrincipalPolicies: ['pageSize'],
      ListAttachedPolicies: ['pageSize'],
      ListTargetsForPolicy: ['pageSize'],
      ListAuditEvents: ['limit'],
    });
  });

  test('the declared charset is read case-insensitively, quoted or not, among other parameters', () => {
    assert.equal(declaredCharset('application/json'), undefined);
    assert.equal(declaredCharset('application/json; charset=UTF-8'), 'utf-8');
    assert.equal(declaredCharset('application/json;CHARSET="utf-16"'), 'utf-16');
    assert.equal(declaredCharset('application/json; v=1; charset=latin1; x=2'), 'latin1');
    assert.equal(declaredCharset('application/json; charset='), '');
  });

  test('UTF-8 text is decoded as is; anything else throws an AWS-format error', () => {
    assert.equal(decodeJsonText(Buffer.from('{"a":"caf\u00e9 \u{1F510}"}'), 'application/json; charset=utf-8'), '{"a":"caf\u00e9 \u{1F510}"}');
    assert.throws(() => decodeJsonText(Buffer.from('{}'), 'application/json; charset=utf-16'), { errorType: 'UnsupportedMediaTypeException', status: 415 });
    assert.throws(() => decodeJsonText(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json'), { errorType: 'InvalidRequestException', status: 400 });
    assert.equal(
      decodeJsonText(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'application/json').charCodeAt(0),
      0xfeff,
      'a BOM is kept (JSON.parse refuses it)',
    );
  });
});
