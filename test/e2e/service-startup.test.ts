/** The real entry point: invalid configuration and invalid rule files stop it with a message naming the cause. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { startServiceProcess } from '../support/service-process.ts';

describe('service start-up', () => {
  test('an invalid variable stops the service with exit code 1 and a message naming the variable', async () => {
    const service = startServiceProcess({ PORT: 'eighty', CERTGUARD_DATA_DIR: 'memory://' });
    assert.equal(await service.exited, 1);
    assert.match(service.stderr(), /PORT must be an integer/);
  });

  test('an invalid rule file stops the service with the file, rule id, line and column', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'certguard-policies-'));
    await cp(path.join(PROJECT_ROOT, 'policies'), dir, { recursive: true });
    await writeFile(
      path.join(dir, 'transfer-certificate.yaml'),
      [
        'operation: TransferCertificate',
        'rules:',
        '  - id: typo-in-field',
        '    description: refers to a field that does not exist',
        '    expression: certificate.statuz != "ACTIVE"',
        '    message: never rendered',
        '    errorType: CertificateStateException',
        '',
      ].join('\n'),
    );
    const service = startServiceProcess({ CERTGUARD_POLICIES_DIR: dir, CERTGUARD_DATA_DIR: 'memory://' });
    assert.equal(await service.exited, 1);
    const message = service.stderr();
    assert.match(message, /transfer-certificate\.yaml:5:\d+/);
    assert.match(message, /typo-in-field/);
    assert.match(message, /statuz/);
  });

  test('a missing credentials file stops the service naming the file', async () => {
    const service = startServiceProcess({ CERTGUARD_CREDENTIALS_FILE: '/nonexistent/keys.json', CERTGUARD_DATA_DIR: 'memory://' });
    assert.equal(await service.exited, 1);
    assert.match(service.stderr(), /\/nonexistent\/keys\.json/);
  });
});
