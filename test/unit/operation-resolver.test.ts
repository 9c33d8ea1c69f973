import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import { OPENAPI_SPEC_PATH } from '../../src/app.ts';
import { operationResolver } from '../../src/request/operation-resolver.ts';

describe('operationResolver', () => {
  const resolve = operationResolver(YAML.parse(readFileSync(OPENAPI_SPEC_PATH, 'utf8')));
  const id = 'ab'.repeat(32);

  test('names operations by method and path, including shared paths', () => {
    assert.equal(resolve({ method: 'PATCH', path: `/transfer-certificate/${id}` }), 'TransferCertificate');
    assert.equal(resolve({ method: 'GET', path: '/certificates' }), 'ListCertificates');
    assert.equal(resolve({ method: 'POST', path: '/certificates' }), 'CreateCertificateFromCsr');
    assert.equal(resolve({ method: 'PUT', path: '/target-policies/p1' }), 'AttachPolicy');
    assert.equal(resolve({ method: 'POST', path: '/target-policies/p1' }), 'DetachPolicy');
    assert.equal(resolve({ method: 'POST', path: `/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A111111111111%3Acert%2F${id}` }), 'ListAttachedPolicies');
  });

  test('answers undefined for what the contract does not name', () => {
    assert.equal(resolve({ method: 'DELETE', path: `/transfer-certificate/${id}` }), undefined);
    assert.equal(resolve({ method: 'GET', path: `/certificates/${id}/extra` }), undefined);
  });
});
