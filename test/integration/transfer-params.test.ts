/**
 * Operators configure the shipped rules through params.yaml, without editing expressions: a deny-list of target
 * accounts and a legal hold that freezes a certificate's transfer state across all four transfer operations.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AcceptCertificateTransferCommand,
  CancelCertificateTransferCommand,
  RegisterCertificateWithoutCACommand,
  RejectCertificateTransferCommand,
  TransferCertificateCommand,
} from '@aws-sdk/client-iot';
import { createKeysAndCertificate, generateCertificateAuthority } from '../../src/certificates/certificate-authority.ts';
import { PROJECT_ROOT } from '../../src/config.ts';
import { rejectsWithAws } from '../support/aws-assertions.ts';
import { demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { createScratchDatabase, testDatabaseKind, type ScratchDatabase } from '../support/test-database.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

const DENIED_ACCOUNT = '333333333333';

describe('rule parameters (params.yaml)', () => {
  let database: { databaseUrl: string } | { dataDir: string };
  let scratch: ScratchDatabase | undefined;
  let held: { certificateId: string; certificatePem: string };
  let policiesDir: string;

  before(async () => {
    scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
    database = scratch ? { databaseUrl: scratch.url } : { dataDir: await mkdtemp(path.join(tmpdir(), 'certguard-params-')) };
    held = await createKeysAndCertificate(await generateCertificateAuthority('External CA'));
    policiesDir = await mkdtemp(path.join(tmpdir(), 'certguard-policies-'));
    await cp(path.join(PROJECT_ROOT, 'policies'), policiesDir, { recursive: true });
    await writeFile(path.join(policiesDir, 'params.yaml'), `deniedTargetAccounts: ["${DENIED_ACCOUNT}"]\nlegalHoldCertificates: ["${held.certificateId}"]\n`);
  });
  after(() => scratch?.drop());

  async function withService<T>(policies: string | undefined, run: (svc: TestService) => Promise<T>): Promise<T> {
    const svc = await startTestService({ ...database, ...(policies ? { policiesDir: policies } : {}) });
    try {
      return await run(svc);
    } finally {
      await svc.close();
    }
  }

  test('a transfer to a denied account is refused by valid-target-account; a held certificate cannot be transferred', async () => {
    await withService(policiesDir, async (svc) => {
      const one = svc.iot(demoOperatorOne);
      await one.send(new RegisterCertificateWithoutCACommand({ certificatePem: held.certificatePem }));
      await rejectsWithAws(
        one.send(new TransferCertificateCommand({ certificateId: held.certificateId, targetAwsAccount: DENIED_ACCOUNT })),
        'InvalidRequestException',
        400,
        /valid-target-account/,
      );
      await rejectsWithAws(
        one.send(new TransferCertificateCommand({ certificateId: held.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
        'InvalidRequestException',
        400,
        /transfer-not-under-legal-hold/,
      );
    });
  });

  test('a hold placed while a transfer is pending freezes it: no accept, reject or cancel until lifted', async () => {
    // Without the hold (shipped params), the transfer starts.
    await withService(undefined, (svc) =>
      svc.iot(demoOperatorOne).send(new TransferCertificateCommand({ certificateId: held.certificateId, targetAwsAccount: demoOperatorTwo.accountId })),
    );
    // With the hold, it cannot settle.
    await withService(policiesDir, async (svc) => {
      const id = { certificateId: held.certificateId };
      await rejectsWithAws(
        svc.iot(demoOperatorTwo).send(new AcceptCertificateTransferCommand(id)),
        'InvalidRequestException',
        400,
        /accept-not-under-legal-hold/,
      );
      await rejectsWithAws(
        svc.iot(demoOperatorTwo).send(new RejectCertificateTransferCommand(id)),
        'InvalidRequestException',
        400,
        /reject-not-under-legal-hold/,
      );
      await rejectsWithAws(
        svc.iot(demoOperatorOne).send(new CancelCertificateTransferCommand(id)),
        'InvalidRequestException',
        400,
        /cancel-not-under-legal-hold/,
      );
      const row = await svc.db.selectFrom('certificates').select('status').where('certificate_id', '=', held.certificateId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'PENDING_TRANSFER');
    });
    // Lifted, it settles.
    await withService(undefined, (svc) => svc.iot(demoOperatorTwo).send(new AcceptCertificateTransferCommand({ certificateId: held.certificateId })));
  });
});
