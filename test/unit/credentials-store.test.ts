import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsFileError, CredentialsStore, loadCredentialsFile } from '../../src/auth/credentials-store.ts';
import { demoCredentialsPath } from '../support/sign-request.ts';

const SECRET = 'tHiS-iS-tHe-SeCrEt-4-tests-0123456789';
const valid = { accessKeyId: 'AKIATESTKEY00001', secretAccessKey: SECRET, accountId: '123456789012', roles: ['operator'] };

let dir: string;
let counter = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certguard-credentials-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(text: string): Promise<string> {
  const path = join(dir, `credentials-${++counter}.json`);
  await writeFile(path, text);
  return path;
}

/** Loads the file, expects a CredentialsFileError naming the file, and returns its message. */
async function loadError(text: string): Promise<string> {
  const path = await fileWith(text);
  const error = await loadCredentialsFile(path).then(
    () => assert.fail('expected a CredentialsFileError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CredentialsFileError, String(error));
  assert.ok(error.message.includes(path), `message should name the file: ${error.message}`);
  assert.ok(!error.message.includes(SECRET), `message must not contain the secret: ${error.message}`);
  return error.message;
}

describe('loadCredentialsFile', () => {
  test('loads a valid file and looks credentials up by access key id', async () => {
    const second = { accessKeyId: 'AKIATESTKEY00002', secretAccessKey: `${SECRET}-2`, accountId: '210987654321', roles: ['auditor', 'operator'] };
    const store = await loadCredentialsFile(await fileWith(JSON.stringify([valid, second])));
    assert.deepEqual(store.lookup('AKIATESTKEY00002'), second);
    assert.deepEqual(store.lookup('AKIATESTKEY00001'), valid);
    assert.equal(store.lookup('AKIAUNKNOWNKEY00'), undefined);
    assert.equal(store.entries().length, 2);
  });

  test('roles default to operator', async () => {
    const { roles: _omitted, ...withoutRoles } = valid;
    const store = await loadCredentialsFile(await fileWith(JSON.stringify([withoutRoles])));
    assert.deepEqual(store.lookup(valid.accessKeyId)?.roles, ['operator']);
  });

  test('the demo file has two operator accounts and one auditor, and not the AWS example key', async () => {
    const entries = (await loadCredentialsFile(demoCredentialsPath)).entries();
    assert.deepEqual(
      entries.map((e) => [e.accountId, e.roles.join()]),
      [
        ['111111111111', 'operator'],
        ['222222222222', 'operator'],
        ['999999999999', 'auditor'],
      ],
    );
    assert.ok(entries.every((e) => e.secretAccessKey.includes('DO-NOT-USE-IN-PRODUCTION')));
    assert.ok(entries.every((e) => e.accessKeyId !== 'AKIDEXAMPLE'));
  });

  test('a missing file is reported with its path', async () => {
    const path = join(dir, 'does-not-exist.json');
    await assert.rejects(
      loadCredentialsFile(path),
      (e: unknown) => e instanceof CredentialsFileError && e.message.includes(path) && e.message.includes('ENOENT'),
    );
  });

  test('invalid JSON is reported with its path and position but without the surrounding text', async () => {
    const message = await loadError(`[{"secretAccessKey": "${SECRET}" "accountId": 1}]`);
    assert.match(message, /not valid JSON \(at position \d+\)/);
    // V8 quotes the start of the text for an unexpected token: that text must not come through.
    assert.match(await loadError(`${SECRET}`), /not valid JSON/);
  });

  test('the top level must be a non-empty array', async () => {
    assert.match(await loadError(JSON.stringify(valid)), /non-empty JSON array/);
    assert.match(await loadError('[]'), /non-empty JSON array/);
  });

  const entryErrors: Array<[string, unknown, RegExp]> = [
    ['an entry that is not an object', SECRET, /entry \[1\] must be an object/],
    ['an unknown field (its name is not echoed)', { ...valid, accessKeyId: 'AKIATESTKEY00002', [SECRET]: 1 }, /entry \[1\] has 1 unknown field/],
    ['an accountId of 11 digits', { ...valid, accountId: '12345678901' }, /entry \[1\] field "accountId" must be a string of exactly 12 digits/],
    ['an accountId given as a number', { ...valid, accountId: 123456789012 }, /field "accountId"/],
    ['an accountId with letters', { ...valid, accountId: '12345678901a' }, /field "accountId"/],
    ['an accessKeyId of 15 characters', { ...valid, accessKeyId: 'AKIATESTKEY0000' }, /entry \[1\] field "accessKeyId" must be 16 to 128/],
    ['an accessKeyId with lowercase letters', { ...valid, accessKeyId: 'akiatestkey00002' }, /field "accessKeyId"/],
    ['a secret pasted as the accessKeyId', { ...valid, accessKeyId: SECRET }, /field "accessKeyId"/],
    ['a missing secret', { ...valid, accessKeyId: 'AKIATESTKEY00002', secretAccessKey: undefined }, /field "secretAccessKey" must be a string of at least 16/],
    ['a secret of 15 characters', { ...valid, accessKeyId: 'AKIATESTKEY00002', secretAccessKey: SECRET.slice(0, 15) }, /field "secretAccessKey"/],
    ['an unknown role', { ...valid, accessKeyId: 'AKIATESTKEY00002', roles: ['admin'] }, /field "roles" must contain only "operator" or "auditor"/],
    ['an empty role list', { ...valid, accessKeyId: 'AKIATESTKEY00002', roles: [] }, /field "roles" must be a non-empty array/],
    ['roles given as a string', { ...valid, accessKeyId: 'AKIATESTKEY00002', roles: 'operator' }, /field "roles" must be a non-empty array/],
    ['a repeated role', { ...valid, accessKeyId: 'AKIATESTKEY00002', roles: ['auditor', 'auditor'] }, /field "roles" must not repeat/],
    ['a duplicate accessKeyId', { ...valid }, /entry \[1\] field "accessKeyId" repeats the one of entry \[0\]/],
  ];
  for (const [what, entry, expected] of entryErrors) {
    test(`${what} is rejected, naming the entry and field but not the secret`, async () => {
      assert.match(await loadError(JSON.stringify([valid, entry])), expected);
    });
  }
});

describe('CredentialsStore', () => {
  test('its entries cannot be changed after construction', () => {
    const store = new CredentialsStore([{ ...valid, roles: ['auditor'] }]);
    const entry = store.lookup(valid.accessKeyId);
    assert.ok(entry !== undefined);
    assert.throws(() => {
      entry.roles.push('operator');
    }, TypeError);
    assert.throws(() => {
      entry.accountId = '000000000000';
    }, TypeError);
  });

  test('refuses two entries with the same access key id', () => {
    assert.throws(
      () =>
        new CredentialsStore([
          { ...valid, roles: ['operator'] },
          { ...valid, roles: ['operator'] },
        ]),
      /Duplicate access key id/,
    );
  });
});
