import assert from 'node:assert/strict';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { bundleHash } from '../../src/rules/engine/bundle-hash.ts';
import { loadPolicyBundle } from '../../src/rules/engine/policy-bundle.ts';

const SHIPPED = path.join(PROJECT_ROOT, 'policies');

describe('bundle content hash', () => {
  test('depends on content, not on line endings or file order; test cases are not part of it', async () => {
    const a = bundleHash(
      new Map([
        ['manifest.yaml', 'name: x\nrevision: "1"\n'],
        ['b.yaml', 'rules: []\n'],
      ]),
    );
    const b = bundleHash(
      new Map([
        ['b.yaml', 'rules: []\r\n'],
        ['manifest.yaml', 'name: x\r\nrevision: "1"\r\n'],
      ]),
    );
    assert.equal(a, b);
    assert.notEqual(
      a,
      bundleHash(
        new Map([
          ['manifest.yaml', 'name: x\nrevision: "2"\n'],
          ['b.yaml', 'rules: []\n'],
        ]),
      ),
    );

    const dir = await mkdtemp(path.join(tmpdir(), 'certguard-hash-'));
    await cp(SHIPPED, dir, { recursive: true });
    const shipped = await loadPolicyBundle(SHIPPED);
    assert.equal((await loadPolicyBundle(dir)).hash, shipped.hash, 'the same files in another folder');
    await writeFile(path.join(dir, 'tests', 'extra.yaml'), 'cases: []\n');
    assert.equal((await loadPolicyBundle(dir)).hash, shipped.hash, 'test cases do not change the hash');
    await writeFile(path.join(dir, 'params.yaml'), 'deniedTargetAccounts: ["333333333333"]\n');
    assert.notEqual((await loadPolicyBundle(dir)).hash, shipped.hash, 'params do');
  });
});
