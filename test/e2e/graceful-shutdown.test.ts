/**
 * SIGTERM under keep-alive write load, on the real process and database: every change that was applied was
 * answered. Keep-alive clients loop on UpdateCertificate; mid-load the service gets SIGTERM. Afterwards the audit
 * trail (one row per decision, written in the change's transaction) must hold exactly the requests whose answer
 * a client received: a client may see a reset or a refused connection only for a request that did not happen.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.ts';
import { createCertificateOn } from '../support/otlp-test-service.ts';
import { freePort, startServiceProcess } from '../support/service-process.ts';
import { demoOperatorOne, signedHeaders } from '../support/sign-request.ts';
import { createScratchDatabase, testDatabaseKind } from '../support/test-database.ts';

const CLIENTS = 24;

type Outcome = { requestId: string; connection: string | undefined } | { error: string };

async function signedUpdate(port: number, agent: Agent, certificateId: string, newStatus: string): Promise<Outcome> {
  const urlPath = `/certificates/${certificateId}`;
  const headers = await signedHeaders({ method: 'PUT', path: urlPath, query: { newStatus }, host: `127.0.0.1:${port}`, credential: demoOperatorOne });
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path: `${urlPath}?newStatus=${newStatus}`, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ requestId: String(res.headers['x-amzn-requestid']), connection: res.headers.connection }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** One keep-alive connection looping on UpdateCertificate until its first failure. */
async function client(port: number, certificateId: string, outcomes: Outcome[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; ; i++) {
      const outcome = await signedUpdate(port, agent, certificateId, i % 2 === 0 ? 'ACTIVE' : 'INACTIVE');
      outcomes.push(outcome);
      if ('error' in outcome) return;
    }
  } finally {
    agent.destroy();
  }
}

/**
 * A signed TransferCertificate written by hand, in flight when SIGTERM comes: its headers are sent with
 * `Expect: 100-continue`, and once the server's `100 Continue` shows it is being served, the test signals the
 * service and sends the body. Resolves with the answer once the server closes the connection.
 */
async function transferAcrossSigterm(port: number, certificateId: string) {
  const urlPath = `/transfer-certificate/${certificateId}`;
  const query = { targetAwsAccount: '222222222222' };
  const body = JSON.stringify({ transferMessage: 'sent across the drain' });
  const headers = await signedHeaders({
    method: 'PATCH',
    path: urlPath,
    query,
    body,
    headers: { 'content-type': 'application/json' },
    host: `127.0.0.1:${port}`,
    credential: demoOperatorOne,
  });
  const head = [
    `PATCH ${urlPath}?targetAwsAccount=${query.targetAwsAccount} HTTP/1.1`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    `content-length: ${Buffer.byteLength(body)}`,
    'expect: 100-continue',
    '',
    '',
  ].join('\r\n');
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  let onContinue: () => void = () => {};
  const continued = new Promise<void>((resolve) => (onContinue = resolve));
  socket.on('data', (chunk) => {
    received += chunk.toString();
    if (received.includes('100 Continue')) onContinue();
  });
  const closed = new Promise<{ status: number; requestId: string; connection: string | undefined } | { error: string }>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? error.message} after ${JSON.stringify(received)}` }));
    socket.on('close', () => {
      const final = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(final)?.[1] ?? 0);
      if (status === 0) return resolve({ error: `no answer: ${JSON.stringify(received)}` });
      resolve({ status, requestId: /\r\nx-amzn-requestid: ([^\r]+)/i.exec(final)?.[1] ?? '', connection: /\r\nconnection: ([^\r]+)/i.exec(final)?.[1] });
    });
  });
  socket.write(head);
  await continued;
  return { sendBody: () => socket.write(body), closed };
}

describe('graceful shutdown under keep-alive load', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  for (let round = 1; round <= 2; round++) {
    test(`round ${round}: SIGTERM mid-load exits 0, and every audited change was answered (no reset after apply)`, async () => {
      const port = await freePort();
      const scratch = testDatabaseKind === 'postgres' ? await createScratchDatabase() : undefined;
      const dataDir = scratch ? undefined : await mkdtemp(path.join(tmpdir(), 'certguard-drain-'));
      cleanups.push(async () => {
        await scratch?.drop();
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
      });
      const service = startServiceProcess({
        PORT: String(port),
        LOG_LEVEL: 'warn',
        CERTGUARD_RATE_LIMIT: '0',
        OTEL_SDK_DISABLED: 'true',
        ...(scratch ? { DATABASE_URL: scratch.url } : { CERTGUARD_DATA_DIR: dataDir! }),
      });
      cleanups.push(async () => {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
      });
      await service.ready(port);
      const certificates = await Promise.all(Array.from({ length: CLIENTS + 1 }, () => createCertificateOn(port, false)));
      const acrossSigterm = certificates.pop()!;

      const outcomes: Outcome[] = [];
      const clients = certificates.map((id) => client(port, id, outcomes));
      while (outcomes.length < 150) await new Promise((resolve) => setTimeout(resolve, 20));
      // A request whose body is still arriving when SIGTERM comes must be read to the end and answered.
      const inFlight = await transferAcrossSigterm(port, acrossSigterm);
      const signalledAt = Date.now();
      service.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      inFlight.sendBody();
      const inFlightAnswer = await inFlight.closed;
      assert.equal(await service.exited, 0, service.stderr() + service.stdout());
      const drainMs = Date.now() - signalledAt;
      await Promise.all(clients);

      const answered = outcomes.filter((o): o is Extract<Outcome, { requestId: string }> => 'requestId' in o);
      const errors = outcomes.filter((o): o is { error: string } => 'error' in o).map((o) => o.error);
      const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: dataDir ?? 'memory://' });
      let audited: string[];
      try {
        const rows = await database.db
          .selectFrom('audit_events')
          .select('request_id')
          .where('operation', 'in', ['UpdateCertificate', 'TransferCertificate'])
          .execute();
        audited = rows.map((row) => String(row.request_id));
      } finally {
        await database.close();
      }
      assert.ok('status' in inFlightAnswer, `a request in flight at SIGTERM is answered: ${JSON.stringify(inFlightAnswer)}`);
      assert.equal(inFlightAnswer.status, 200);
      assert.equal(inFlightAnswer.connection, 'close');
      answered.push({ requestId: inFlightAnswer.requestId, connection: inFlightAnswer.connection });
      const detail = `answered ${answered.length}, audited ${audited.length}, errors ${JSON.stringify(errors)}`;
      assert.deepEqual([...audited].sort(), answered.map((o) => o.requestId).sort(), detail);
      assert.equal(errors.length, CLIENTS, `each client stops at its first failure: ${detail}`);
      assert.ok(drainMs < 10_000, `the drain waits for requests in flight, not for the drain timeout (${drainMs} ms)`);
      assert.doesNotMatch(service.stdout(), /drain timeout/);
    });
  }
});
