/**
 * The audit console (/console/, docs/console.md) driven in real headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core, no browser download) against a real certguard with a real database holding a few hundred
 * decisions. Each view's screenshot is written to test-results/console/*.png
 * (CERTGUARD_CONSOLE_SCREENSHOTS=docs/console refreshes the committed ones; the README shows one).
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
import type { AuditEventView } from '../../src/audit/query/audit-event-view.ts';
import { deniedTransfers, waitUntilSealed } from '../support/audit-chain-support.ts';
import { createCertificate, type CreatedCertificate } from '../support/iot-fixtures.ts';
import { demoAuditor, demoOperatorOne, demoOperatorTwo } from '../support/sign-request.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Every run writes its screenshots to test-results/console/ (git-ignored, for looking at after a run);
// CERTGUARD_CONSOLE_SCREENSHOTS=docs/console refreshes the committed ones the docs and the README show.
const SCREENSHOTS = path.resolve(ROOT, process.env.CERTGUARD_CONSOLE_SCREENSHOTS ?? path.join('test-results', 'console'));

describe('audit console in headless Chromium', () => {
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let traceServer: Server;
  const tracesOpened: string[] = [];
  const pageErrors: string[] = [];
  const externalCalls: string[] = [];
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
    await deniedTransfers(one, 160);
    certs.denied = await createCertificate(one, true);
    for (let i = 0; i < 3; i++) {
      await one
        .send(new TransferCertificateCommand({ certificateId: certs.denied.certificateId, targetAwsAccount: demoOperatorTwo.accountId }))
        .catch(() => {});
    }
    for (let i = 0; i < 40; i++) {
      const cert = await createCertificate(one);
      await one.send(new TransferCertificateCommand({ certificateId: cert.certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
      certs.allowed = cert;
    }
    await waitUntilSealed(svc.db);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      const { origin } = new URL(request.url());
      if (origin !== svc.baseUrl && origin !== `http://127.0.0.1:${tracePort}` && origin !== 'null') externalCalls.push(request.url());
    });
  });

  after(async () => {
    await browser?.close();
    await svc?.close();
    traceServer?.close();
  });

  const textOf = async (selector: string) => (await page.locator(selector).textContent()) ?? '';
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

  test('a click on a bar of the chart split by failing rule filters the trail; older pages follow the cursor', async () => {
    await page.getByLabel('Split by').selectOption('failingRuleId');
    // The new split is drawn when its datasets are the rules (the caption of the previous split is already there).
    await page.waitForFunction(() => {
      const canvas = document.getElementById('decisions-chart') as HTMLCanvasElement;
      const chart = (
        window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: Array<{ key: string }> } } | undefined } }
      ).Chart.getChart(canvas);
      return chart?.data.datasets.some((dataset) => dataset.key === 'certificate-not-active') === true;
    });
    const point = await page.evaluate(() => {
      const canvas = document.getElementById('decisions-chart') as HTMLCanvasElement;
      type Bar = { x: number; y: number; base: number };
      type ChartView = { data: { datasets: Array<{ key: string; data: number[] }> }; getDatasetMeta(i: number): { data: Bar[] } };
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): ChartView } }).Chart.getChart(canvas);
      const index = chart.data.datasets.findIndex((d: { key: string }) => d.key === 'certificate-not-active');
      const bars = chart.getDatasetMeta(index).data;
      const values = chart.data.datasets[index]?.data ?? [];
      let last = values.length - 1;
      while (last > 0 && !(values[last]! > 0)) last--;
      const bar = bars[last] ?? { x: 0, y: 0, base: 0 };
      const box = canvas.getBoundingClientRect();
      return { x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2 };
    });
    await shot('chart-by-rule');
    await page.mouse.click(point.x, point.y);
    await page.waitForURL(/failingRuleId=certificate-not-active/, { waitUntil: 'commit' });
    await page.locator('#trail-status', { hasText: 'events' }).waitFor();
    const rules = await page.locator('#trail tbody tr td:nth-child(5)').allTextContents();
    assert.ok(rules.length > 0 && rules.every((rule) => rule === 'certificate-not-active'), rules.join());
    assert.equal(rules.length, 100);
    const firstPage = await page.locator('#trail tbody tr td:nth-child(2)').allTextContents();
    await page.getByRole('button', { name: 'Older' }).click();
    await page.waitForURL(/cursor=/);
    await page.locator('#trail tbody tr td:nth-child(2)').first().waitFor();
    await page.waitForFunction((first) => document.querySelector('#trail tbody tr td:nth-child(2)')?.textContent !== first, firstPage[0]);
    const secondPage = await page.locator('#trail tbody tr td:nth-child(2)').allTextContents();
    assert.ok(Number(secondPage[0]) < Number(firstPage.at(-1)), 'the older page continues after the first');
    const expected = await svc.db
      .selectFrom('audit_events')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('failing_rule_id', '=', 'certificate-not-active')
      .executeTakeFirstOrThrow();
    assert.equal(firstPage.length + secondPage.length, Math.min(Number(expected.n), 200));
  });

  test('filter by certificate id: a shared link holds the filter', async () => {
    await page.goto(`${svc.baseUrl}/console/?view=trail`);
    await page.locator('#trail-view').getByLabel('Certificate id').fill(certs.denied.certificateId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`certificateId=${certs.denied.certificateId}`));
    await page.locator('#trail-status', { hasText: 'events' }).waitFor();
    const titles = await page.locator('#trail tbody tr td:nth-child(7)').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title')));
    const expected = await svc.db.selectFrom('audit_events').select('sequence').where('certificate_id', '=', certs.denied.certificateId).execute();
    assert.equal(titles.length, expected.length);
    assert.ok(titles.every((title) => title === certs.denied.certificateId));
    await shot('trail-filtered');
    // And by request id: the one decision of that request.
    const one = await svc.db
      .selectFrom('audit_events')
      .select(['request_id', 'sequence'])
      .where('certificate_id', '=', certs.denied.certificateId)
      .where('operation', '=', 'TransferCertificate')
      .executeTakeFirstOrThrow();
    await page.locator('#trail-view').getByLabel('Certificate id').fill('');
    await page.locator('#trail-view').getByLabel('Request id').fill(String(one.request_id));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/requestId=/);
    await page.waitForFunction(() => document.querySelectorAll('#trail tbody tr').length === 1);
    assert.equal(await textOf('#trail tbody tr td:nth-child(2)'), String(one.sequence));
  });

  test('one decision: rules, input, bundle, chain and the trace link', async () => {
    await page.locator('#trail tbody tr.decision-deny a').first().click();
    await page.locator('#event-rules').waitFor();
    const eventId = new URL(page.url()).searchParams.get('eventId')!;
    const event = (await svc.send({ method: 'GET', path: `/v1/audit/events/${eventId}`, credential: demoAuditor })).json as unknown as AuditEventView;
    const body = await textOf('#event-body');
    assert.match(body, /certificate-not-active/);
    assert.ok(body.includes(String(event.policy.hash)), 'bundle hash shown');
    assert.ok(body.includes(`sealed at chain position ${event.chain?.chainSeq}`));
    assert.ok(body.includes(String(event.errorType)));
    assert.ok(event.requestParameters !== null);
    assert.deepEqual(JSON.parse(await textOf('#event-input')), event.requestParameters, 'the masked input, as recorded');
    await shot('decision');
    const [tracePage] = await Promise.all([page.context().waitForEvent('page'), page.locator('#trace-link').click()]);
    await tracePage.waitForLoadState();
    assert.equal(new URL(tracePage.url()).pathname, `/trace/${event.trace.traceId}`);
    assert.ok(tracesOpened.includes(`/trace/${event.trace.traceId}`));
    await tracePage.close();
  });

  test('integrity: verify says OK, then names a tampered row', async () => {
    await page.getByRole('link', { name: 'Integrity' }).click();
    await page.locator('#integrity-facts dt').first().waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.locator('#verify-verdict').waitFor();
    const verdict = await textOf('#verify-verdict');
    assert.match(verdict, /^OK: \d+ chain entries/);
    // The bar was driven by the NDJSON progress lines (only they set it): determinate, full, with the count.
    const checked = Number(/^OK: (\d+)/.exec(verdict)?.[1]);
    const bar = await page
      .locator('#verify-progress')
      .evaluate((p: HTMLProgressElement) => ({ value: p.value, max: p.max, position: p.position, hidden: p.hidden }));
    assert.deepEqual(bar, { value: checked, max: checked, position: 1, hidden: false });
    assert.equal(await textOf('#verify-count'), `${checked.toLocaleString('en')} of ${checked.toLocaleString('en')} entries`);
    await shot('integrity-ok');
    // An attacker with superuser rights edits a sealed row behind certguard's back (committed), then it is put back.
    const target = await svc.db
      .selectFrom('audit_events')
      .select(['sequence', 'error_message'])
      .where('decision', '=', 'DENY')
      .orderBy('sequence')
      .limit(1)
      .offset(5)
      .executeTakeFirstOrThrow();
    const setMessage = (message: string | null) =>
      svc.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await trx.updateTable('audit_events').set({ error_message: message }).where('sequence', '=', target.sequence).execute();
      });
    await setMessage('nothing to see here');
    try {
      await page.getByRole('button', { name: 'Verify the chain' }).click();
      await page.locator('#verify-verdict.broken').waitFor();
      const verdict = await textOf('#verify-verdict');
      assert.match(verdict, /hash-mismatch/);
      assert.match(verdict, new RegExp(`event sequence ${target.sequence}\\b`));
      assert.match(await textOf('#verify-count'), /^\d+ of [\d,]+ entries, stopped at the first break$/);
      await shot('integrity-broken');
    } finally {
      await setMessage(target.error_message);
    }
  });

  test('export with a filter: streamed to disk by the download worker; the file is the API answer', async () => {
    await page.goto(`${svc.baseUrl}/console/?view=trail&certificateId=${certs.denied.certificateId}`);
    await page.locator('#trail-status', { hasText: 'events' }).waitFor();
    // The worker was registered when the page loaded and controls it (clients.claim): exports take the stream path.
    await page.waitForFunction(() => navigator.serviceWorker.controller?.scriptURL.endsWith('/console/download-worker.js') === true);
    assert.equal(await textOf('#export-mode'), '', 'no fallback notice');
    await page.getByLabel('Export the filtered trail as').selectOption('csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    // The browser downloaded the worker's one-time URL (no credentials in it), not a blob: URL the page built.
    assert.match(download.url(), new RegExp(`^${svc.baseUrl}/console/download/[0-9a-f-]{36}$`));
    const file = readFileSync((await download.path())!, 'utf8');
    assert.match(download.suggestedFilename(), /^certguard-audit-\d{8}T\d{6}Z\.csv$/);
    const api = await svc.send({
      method: 'GET',
      path: '/v1/audit/export',
      query: { format: 'csv', certificateId: certs.denied.certificateId },
      credential: demoAuditor,
    });
    assert.equal(api.status, 200);
    assert.equal(file, api.text);
    const rows = await svc.db.selectFrom('audit_events').select('sequence').where('certificate_id', '=', certs.denied.certificateId).execute();
    assert.equal(file.trim().split('\r\n').length, 1 + rows.length, 'a header and one line per event of the certificate');
    await page.locator('#export-status', { hasText: 'streamed to disk' }).waitFor();
    assert.equal(await page.locator('#export-status').getAttribute('data-mode'), 'streamed');
    await shot('export');
    // The URL is used up: fetched again (the worker answers it), it is gone.
    const again = await page.evaluate(async (url) => (await fetch(url)).status, download.url());
    assert.equal(again, 410);
  });

  test('export without service workers: the page says it collects the file, and the file is still the API answer', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, serviceWorkers: 'block' });
    try {
      const plain = await context.newPage();
      plain.on('pageerror', (error) => pageErrors.push(error.message));
      await plain.goto(`${svc.baseUrl}/console/?view=trail&certificateId=${certs.denied.certificateId}`);
      await plain.getByLabel('Access key id').fill(demoAuditor.accessKeyId);
      await plain.getByLabel('Secret access key').fill(demoAuditor.secretAccessKey);
      await plain.getByRole('button', { name: 'Sign in' }).click();
      await plain.locator('#export-mode', { hasText: 'needs a service worker' }).waitFor();
      // OCSF: lines only (NDJSON's header line carries the export time, so two exports differ in it).
      await plain.getByLabel('Export the filtered trail as').selectOption('ocsf');
      const [download] = await Promise.all([plain.waitForEvent('download'), plain.getByRole('button', { name: 'Download' }).click()]);
      assert.match(download.url(), /^blob:/);
      const api = await svc.send({
        method: 'GET',
        path: '/v1/audit/export',
        query: { format: 'ocsf', certificateId: certs.denied.certificateId },
        credential: demoAuditor,
      });
      assert.equal(api.status, 200);
      assert.equal(readFileSync((await download.path())!, 'utf8'), api.text);
      await plain.locator('#export-status', { hasText: 'Saved' }).waitFor();
      assert.equal(await plain.locator('#export-status').getAttribute('data-mode'), 'collected');
      await plain.screenshot({ path: path.join(SCREENSHOTS, 'export-fallback.png') });
    } finally {
      await context.close();
    }
  });

  test('rules: the bundle in force and a what-if evaluation', async () => {
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.locator('#bundle-facts dt').first().waitFor();
    const policy = (await svc.send({ method: 'GET', path: '/v1/policy', credential: demoAuditor })).json as Record<string, string>;
    assert.ok((await textOf('#bundle-facts')).includes(String(policy.hash)));
    const form = page.locator('#evaluate-form');
    // The certificate field offers the certificates ListCertificates gives the signed-in auditor, newest first.
    await page.locator('#certificates-count', { hasText: 'to pick from' }).waitFor();
    const listed = await svc.send({ method: 'GET', path: '/certificates', query: { pageSize: '250', isAscendingOrder: 'false' }, credential: demoAuditor });
    const certificates = listed.json?.certificates as Array<{ certificateId: string; status: string }>;
    const listedIds = certificates.map((c) => c.certificateId);
    const offered = await page
      .locator('#certificates option')
      .evaluateAll((options) => options.map((o) => [(o as HTMLOptionElement).value, (o as HTMLOptionElement).label]));
    assert.deepEqual(
      offered.map(([id]) => id),
      listedIds,
    );
    assert.ok(listedIds.includes(certs.denied.certificateId) && listedIds.includes(certs.allowed.certificateId));
    // Each option's label: the status and the creation time, as listed.
    for (const [index, [, label]] of offered.entries()) {
      assert.match(label ?? '', new RegExp(`^${certificates[index]?.status}, created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
    }
    assert.equal(await form.getByLabel('Certificate id').getAttribute('list'), 'certificates');
    await form.getByLabel('Operation').selectOption('TransferCertificate');
    // Picking an offered id (what choosing it from the list does: the field takes the option's value).
    await form.getByLabel('Certificate id').fill(certs.denied.certificateId);
    await form.getByLabel('Request members (JSON)').fill(JSON.stringify({ targetAwsAccount: demoOperatorTwo.accountId }));
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.locator('#evaluate-verdict').waitFor();
    assert.match(await textOf('#evaluate-verdict'), /^DENY by certificate-not-active/);
    await shot('rules');
    await form.getByLabel('Certificate id').fill((certs.allowed.certificateId ?? '').replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.locator('#evaluate-error', { hasText: 'ResourceNotFoundException' }).waitFor();
  });

  test('a narrow window still reads; sign-out forgets the key', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.getByRole('link', { name: 'Trail' }).click();
    await page.locator('#trail-status', { hasText: 'events' }).waitFor();
    await shot('trail-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access key id').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length + document.cookie.length), 0);
  });

  test('the page is served with a strict CSP and without authentication; its assets are local', async () => {
    const response = await fetch(`${svc.baseUrl}/console/`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /worker-src 'self'/);
    const worker = await fetch(`${svc.baseUrl}/console/download-worker.js`);
    assert.equal(worker.status, 200);
    assert.match(worker.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
    const stale = await fetch(`${svc.baseUrl}/console/download/00000000-0000-4000-8000-000000000000`);
    assert.equal(stale.status, 410, 'a download URL the worker did not answer says to start again');
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    for (const asset of ['vendor/aws4fetch.js', 'vendor/chart.js', 'app.js', 'console.css']) {
      assert.equal((await fetch(`${svc.baseUrl}/console/${asset}`)).status, 200, asset);
    }
    assert.equal((await fetch(`${svc.baseUrl}/v1/audit/events`)).status, 401);
  });

  test('no script error and no call outside certguard in the whole session', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(externalCalls, []);
  });
});
