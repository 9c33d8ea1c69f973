import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import YAML from 'yaml';
import { OPENAPI_SPEC_PATH, openApiDocument, readOpenApiDocument, writeOpenApiDocumentJson } from '../../src/http/openapi-document.ts';

function scratch(): { dir: string; spec: string; jsonDir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certguard-openapi-document-'));
  const spec = path.join(dir, 'certguard.yaml');
  copyFileSync(OPENAPI_SPEC_PATH, spec);
  return { dir, spec, jsonDir: path.join(dir, 'json') };
}

test('the JSON copy npm run build writes holds the same document as the YAML contract', () => {
  const { dir, spec, jsonDir } = scratch();
  try {
    const file = writeOpenApiDocumentJson(jsonDir, spec);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), YAML.parse(readFileSync(spec, 'utf8')));
    assert.deepEqual(readOpenApiDocument(spec, jsonDir), YAML.parse(readFileSync(spec, 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the JSON copy is read while the contract is unchanged, and an edited contract is read from its YAML', () => {
  const { dir, spec, jsonDir } = scratch();
  try {
    const file = writeOpenApiDocumentJson(jsonDir, spec);
    // A marker only the JSON copy has: seeing it proves the copy was read instead of the YAML.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), 'x-read-from': 'json' }));
    assert.equal(readOpenApiDocument(spec, jsonDir)['x-read-from'], 'json');
    appendFileSync(spec, 'x-edited: true\n');
    const edited = readOpenApiDocument(spec, jsonDir);
    assert.equal(edited['x-read-from'], undefined, 'a stale JSON copy is never served');
    assert.equal(edited['x-edited'], true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writing the copy of an edited contract removes the copy of the earlier one', () => {
  const { dir, spec, jsonDir } = scratch();
  try {
    const first = writeOpenApiDocumentJson(jsonDir, spec);
    appendFileSync(spec, 'x-edited: true\n');
    const second = writeOpenApiDocumentJson(jsonDir, spec);
    assert.notEqual(first, second);
    assert.deepEqual(readdirSync(jsonDir), [path.basename(second)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the process reads the contract once and hands every reader the same object', () => {
  assert.equal(openApiDocument(), openApiDocument());
  assert.ok(Object.keys(openApiDocument().paths).length > 20);
});
