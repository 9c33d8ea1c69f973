/**
 * The transfer story with the real AWS CLI v2 (Debian's awscli): exit codes and error codes as a shell user sees
 * them (254 for a service error, 252 for a parameter the CLI itself refuses). In CI the CLI must be installed
 * (.ci/run installs it): its absence fails the run. Elsewhere the test is reported as skipped, with the reason.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { awsCliInstalled, awsIot, AWS_CLI, type CliResult } from '../support/aws-cli.ts';
import { demoOperatorOne, demoOperatorTwo, type TestCredential } from '../support/sign-request.ts';
import { useTestService } from '../support/test-service.ts';

const SOURCE = demoOperatorOne;
const TARGET = demoOperatorTwo;
const DOCUMENT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}';
const inCi = process.env.CI === 'true';
const unavailable = !awsCliInstalled && !inCi ? `AWS CLI not found at ${AWS_CLI} (apt-get install awscli)` : false;

function ok(result: CliResult): Record<string, unknown> {
  assert.equal(result.exitCode, 0, `aws exited ${result.exitCode}: ${result.stderr}`);
  return result.json ?? {};
}

function failed(result: CliResult, code: string): void {
  assert.equal(result.exitCode, 254, `expected exit 254 (${code}), got ${result.exitCode}: ${result.stderr}${result.stdout}`);
  assert.match(result.stderr, new RegExp(`An error occurred \\(${code}\\)`));
}

describe('AWS CLI v2', { skip: unavailable }, () => {
  const t = useTestService();
  const as = (credential: TestCredential, ...args: string[]) => awsIot(t.svc.baseUrl, credential, args);

  test('the CLI is installed', () => {
    assert.ok(awsCliInstalled, `${AWS_CLI} is missing: .ci/run must apt-get install awscli`);
  });

  async function newCertificate(active = false): Promise<{ id: string; arn: string }> {
    const created = ok(await as(SOURCE, 'create-keys-and-certificate', ...(active ? ['--set-as-active'] : [])));
    return { id: String(created.certificateId), arn: String(created.certificateArn) };
  }

  test('the story: refused while ACTIVE (406) and while a policy is attached (409), then transferred and accepted', async () => {
    const cert = await newCertificate(true);
    const transfer = ['transfer-certificate', '--certificate-id', cert.id, '--target-aws-account', TARGET.accountId];
    failed(await as(SOURCE, ...transfer), 'CertificateStateException');
    ok(await as(SOURCE, 'update-certificate', '--certificate-id', cert.id, '--new-status', 'INACTIVE'));
    ok(await as(SOURCE, 'create-policy', '--policy-name', `cli-${cert.id.slice(0, 8)}`, '--policy-document', DOCUMENT));
    ok(await as(SOURCE, 'attach-policy', '--policy-name', `cli-${cert.id.slice(0, 8)}`, '--target', cert.arn));
    failed(await as(SOURCE, ...transfer), 'TransferConflictException');
    ok(await as(SOURCE, 'detach-policy', '--policy-name', `cli-${cert.id.slice(0, 8)}`, '--target', cert.arn));
    const transferred = ok(await as(SOURCE, ...transfer, '--transfer-message', 'via the CLI'));
    assert.equal(transferred.transferredCertificateArn, cert.arn);

    const seen = ok(await as(TARGET, 'describe-certificate', '--certificate-id', cert.id)).certificateDescription as Record<string, unknown>;
    assert.equal(seen.status, 'PENDING_TRANSFER');
    assert.deepEqual((seen.transferData as Record<string, unknown>).transferMessage, 'via the CLI');

    ok(await as(TARGET, 'accept-certificate-transfer', '--certificate-id', cert.id, '--set-as-active'));
    const owned = ok(await as(TARGET, 'describe-certificate', '--certificate-id', cert.id)).certificateDescription as Record<string, unknown>;
    assert.deepEqual([owned.status, owned.ownedBy, owned.previousOwnedBy], ['ACTIVE', TARGET.accountId, SOURCE.accountId]);
    failed(await as(SOURCE, 'describe-certificate', '--certificate-id', cert.id), 'ResourceNotFoundException');
    failed(await as(SOURCE, 'cancel-certificate-transfer', '--certificate-id', cert.id), 'TransferAlreadyCompletedException');
    failed(await as(TARGET, 'reject-certificate-transfer', '--certificate-id', cert.id), 'TransferAlreadyCompletedException');
  });

  test('the reject branch: back to the source with the reason; a second reject is 410', async () => {
    const cert = await newCertificate();
    ok(await as(SOURCE, 'transfer-certificate', '--certificate-id', cert.id, '--target-aws-account', TARGET.accountId));
    ok(await as(TARGET, 'reject-certificate-transfer', '--certificate-id', cert.id, '--reject-reason', 'not ours'));
    const d = ok(await as(SOURCE, 'describe-certificate', '--certificate-id', cert.id)).certificateDescription as Record<string, unknown>;
    assert.equal(d.status, 'INACTIVE');
    assert.equal((d.transferData as Record<string, unknown>).rejectReason, 'not ours');
    failed(await as(TARGET, 'reject-certificate-transfer', '--certificate-id', cert.id), 'TransferAlreadyCompletedException');
    failed(await as(TARGET, 'accept-certificate-transfer', '--certificate-id', cert.id), 'TransferAlreadyCompletedException');
  });

  test('the cancel branch: only the source cancels; afterwards the target cannot accept (410)', async () => {
    const cert = await newCertificate();
    ok(await as(SOURCE, 'transfer-certificate', '--certificate-id', cert.id, '--target-aws-account', TARGET.accountId));
    failed(await as(TARGET, 'cancel-certificate-transfer', '--certificate-id', cert.id), 'UnauthorizedException');
    ok(await as(SOURCE, 'cancel-certificate-transfer', '--certificate-id', cert.id));
    failed(await as(TARGET, 'accept-certificate-transfer', '--certificate-id', cert.id), 'TransferAlreadyCompletedException');
    failed(await as(SOURCE, 'cancel-certificate-transfer', '--certificate-id', cert.id), 'TransferAlreadyCompletedException');
  });

  test('what the CLI itself refuses exits 252; what it lets through, certguard refuses with InvalidRequestException', async () => {
    const short = await as(SOURCE, 'transfer-certificate', '--certificate-id', 'abc', '--target-aws-account', TARGET.accountId);
    assert.equal(short.exitCode, 252);
    const cert = await newCertificate();
    // botocore does not check max lengths or patterns: a 15-digit account reaches the server.
    failed(await as(SOURCE, 'transfer-certificate', '--certificate-id', cert.id, '--target-aws-account', '123456789012345'), 'InvalidRequestException');
    failed(await as(SOURCE, 'update-certificate', '--certificate-id', cert.id, '--new-status', 'BOGUS'), 'InvalidRequestException');
  });

  test('a wrong secret is UnauthorizedException', async () => {
    failed(
      await as({ accessKeyId: SOURCE.accessKeyId, secretAccessKey: 'wrong-secret-wrong-secret' }, 'describe-certificate', '--certificate-id', 'ab'.repeat(32)),
      'UnauthorizedException',
    );
  });
});
