/**
 * The audit console (/console/, docs/console.md) driven in real headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core, no browser download) against a real certguard with a real database holding a few hundred
 * decisions. Each view's screenshot is written to docs/console/*.png (the README shows one).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TransferCertificateCommand } from '@aws-sdk/client-iot';
import { sql } from 'kysely';
import { type Browser, chromium, type Page } from 'playwright-core';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { createCertificate, type CreatedCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = path.join(ROOT, 'docs', 'console');

describe('audit console in headless Chromium', () => {
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let traceServer: Server;
  const tracesOpened: string[] = [];
  const certs = {} as { denied: CreatedCertificate; allowed: CreatedCertificate };

  before(async () => {
    // A stand-in for Jaeger/Tempo: records which trace the console's link opened.
    traceServer = createServer((req, res) => {
      tracesOpened.push(req.url ?? '');
      res.end('trace viewer');
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => traceServer.once('listening', resolve));
    const tracePort = (traceServer.address() as AddressInfo).port;
    svc = await startTestService({ traceUrlTemplate: `http://127.0.0.1:${tracePort}/trace/{traceId}`, rateLimitPerSecond: 0 });
    const one = svc.iot(demoOperatorOne);
    // A few hundred decisions: DENY by certificate-state rules, and ALLOWed transfers of other certificates.
    await deniedTransfers(one, 250);
    certs.denied = await createCertificate(one, true);
    await deniedTransfers(one, 0);
    for (let i = 0; i < 3; i++) {
      await one.send(new TransferCertificateCommand({ certificateId: certs.denied.certificateId, targetAwsAccount: demoOperatorTwo.accountId })).catch(() => {});
    }
    for (let i = 0; i < 40; i++) {
      const cert = await createCertificate(one);
      await one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
      certs.allowed = cert;
    }
    await waitUntilSealed(svc.db);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  });

  after(async () => {
    await browser?.close();
    await svc?.close();
    traceServer?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

  test('wrong keys show the API error; right keys sign in', async () => {
    await page.goto(`${svc.baseUrl}/`);
    assert.equal(new URL(page.url()).pathname, '/console/');
    await page.getByLabel('Access key id').fill(demoAuditor.accessKeyId);
    await page.getByLabel('Secret access key').fill('wrong-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error', { hasText: 'signature we calculated does not match' }).waitFor();
    await shot('sign-in');
    await page.getByLabel('Secret access key').fill(demoAuditor.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#trail tbody tr').first().waitFor();
    await page.locator('body[data-chart-loaded]').waitFor();
    assert.equal(await page.locator('#trail tbody tr').count(), 100);
    await shot('trail');
  });
});
