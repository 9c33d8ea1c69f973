/**
 * The outage spool against a real database (PGlite and Postgres): audit rows that could not be inserted because
 * the database was unreachable (a real pg client against a closed port) are durably on disk, are appended to the
 * trail marked as spooled once the database answers, join the chain, are never replayed twice (a crash between
 * the insert and the file's removal, two replicas racing for one file), and a full spool counts what it drops.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { type AuditRow, newAuditRow } from '../../src/audit/audit.repository.ts';
import { canonicalJsonText } from '../../src/audit/canonical-json.ts';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import { appendOrSpool, AuditSpool } from '../../src/audit/spool/audit-spool.ts';
import { SpoolReplayer } from '../../src/audit/spool/spool-replayer.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import { waitUntilSealed } from '../support/audit-chain-support.ts';
import { freePort } from '../support/service-process.ts';
import { testDatabaseKind } from '../support/test-database.ts';
import { startTestService, type TestService } from '../support/test-service.ts';

const logger = createLogger('error', new Writable({ write: (_chunk, _encoding, done) => done() }));

function refusedRow(requestId: string, minutesAgo = 1): AuditRow {
  const row = newAuditRow({
    event_type: 'Decision',
    operation: 'TransferCertificate',
    request_id: requestId,
    decision: 'ERROR',
    error_type: 'InternalFailureException',
    error_message: 'The decision could not be completed',
    rule_outcomes: canonicalJsonText({ rules: [], warnings: [] }),
    request_parameters: canonicalJsonText({ certificateId: 'c0ffee', targetAwsAccount: '222222222222' }),
  });
  return { ...row, event_time: new Date(Date.now() - minutesAgo * 60_000) };
}

async function spoolFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((name) => name.startsWith('audit-spool.'));
}

async function rowsWithIds(svc: TestService, ids: string[]) {
  return svc.db
    .selectFrom('audit_events')
    .select(['event_id', 'event_time', 'request_id', 'request_parameters', 'decision'])
    .where('event_id', 'in', ids)
    .execute();
}

/** A pid that certainly does not run any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = execFile(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe(`audit spool (${testDatabaseKind})`, () => {
  let svc: TestService;
  let down: DatabaseHandle;
  let dir: string;
  // This test's own spool and replayer over the service's database: the service's replayer ticks every 2 s while
  // it has work and would replay the rows while the test is still looking at them (seen under a loaded CPU).
  let spool: AuditSpool;
  let replayer: SpoolReplayer;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certguard-spool-'));
    svc = await startTestService();
    spool = new AuditSpool({ dir, maxBytes: 1 << 20, logger: svc.service.context.logger });
    replayer = new SpoolReplayer(svc.db, spool, svc.service.context.logger);
    // A real pg client against a port nobody listens on: every query fails as "database unavailable".
    down = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/gone`, dataDir: '' });
  });
  after(async () => {
    await down?.close();
    await svc?.close();
  });

  test('rows refused by an unreachable database are spooled durably, then replayed into the trail marked as spooled', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => refusedRow(`spool-req-${i}`));
    for (const row of rows) assert.equal((await appendOrSpool(down.db, spool, row)).kind, 'spooled');

    const [file, ...others] = await spoolFiles(dir);
    assert.deepEqual(others, []);
    assert.match(file!, /\.open\.ndjson$/);
    const lines = (await readFile(path.join(dir, file!), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: AuditRow });
    assert.deepEqual(
      lines.map((l) => l.row.event_id),
      rows.map((r) => r.event_id),
    );
    assert.deepEqual(
      await rowsWithIds(
        svc,
        rows.map((r) => r.event_id),
      ),
      [],
      'nothing in the trail while spooled',
    );

    const result = await replayer.replayNow();
    assert.equal(result.inserted, 5);
    assert.deepEqual(await spoolFiles(dir), [], 'the replayed file is removed');
    const stored = await rowsWithIds(
      svc,
      rows.map((r) => r.event_id),
    );
    assert.equal(stored.length, 5);
    for (const row of rows) {
      const found = stored.find((s) => s.event_id === row.event_id)!;
      assert.equal(found.request_id, row.request_id);
      assert.equal(new Date(found.event_time).getTime(), row.event_time.getTime(), 'the original event time is kept');
      const parameters = found.request_parameters as { certificateId: string; spooled: { spooledAt: string; replayedAt: string; pid: number; host: string } };
      assert.equal(parameters.certificateId, 'c0ffee');
      assert.equal(parameters.spooled.pid, process.pid);
      assert.ok(Date.parse(parameters.spooled.replayedAt) >= Date.parse(parameters.spooled.spooledAt));
    }
    await waitUntilSealed(svc.db);
    const report = await verifyDatabaseChain(svc.db);
    assert.equal(report.ok, true, JSON.stringify(report));
  });

  test('a file replayed again after a crash before its removal adds no duplicate', async () => {
    const rows = [refusedRow('crash-1'), refusedRow('crash-2'), refusedRow('crash-3')];
    for (const row of rows) await appendOrSpool(down.db, spool, row);
    const [file] = await spoolFiles(dir);
    const content = await readFile(path.join(dir, file!), 'utf8');
    assert.equal((await replayer.replayNow()).inserted, 3);

    // The same file again, claimed by a replayer that died after its commit and before the unlink.
    const pid = await deadPid();
    const orphan = `audit-spool.${spool.identity.host}.${pid}.0a0a0a.1.claimed.${spool.identity.host}.${pid}.0b0b0b.ndjson`;
    await writeFile(path.join(dir, orphan), content);
    const again = await replayer.replayNow();
    assert.deepEqual({ files: again.files, inserted: again.inserted, skipped: again.skipped }, { files: 1, inserted: 0, skipped: 3 });
    assert.equal(
      (
        await rowsWithIds(
          svc,
          rows.map((r) => r.event_id),
        )
      ).length,
      3,
      'each row once',
    );
    assert.deepEqual(await spoolFiles(dir), []);
  });

  test("a live replica's open file is left to it; two replicas racing for an orphan replay it once", async () => {
    const other = new AuditSpool({ dir, maxBytes: 1 << 20, logger });
    const otherReplayer = new SpoolReplayer(svc.db, other, logger);
    try {
      const live = refusedRow('live-replica');
      await appendOrSpool(down.db, other, live);
      assert.equal((await replayer.replayNow()).files, 0, 'the other replica is alive: its file is not taken');
      assert.equal((await spoolFiles(dir)).length, 1);

      const orphanRows = Array.from({ length: 20 }, (_, i) => refusedRow(`orphan-${i}`));
      const pid = await deadPid();
      const lines = orphanRows.map((row) =>
        JSON.stringify({
          format: 'certguard-audit-spool/1',
          spooledAt: new Date().toISOString(),
          host: other.identity.host,
          pid,
          row: { ...row, event_time: row.event_time.toISOString() },
        }),
      );
      await writeFile(path.join(dir, `audit-spool.${other.identity.host}.${pid}.0c0c0c.1.open.ndjson`), `${lines.join('\n')}\n`);
      const [mine, theirs] = await Promise.all([replayer.replayNow(), otherReplayer.replayNow()]);
      assert.equal(mine.inserted + theirs.inserted, 21, 'the orphan once, and the other replica its own row');
      assert.equal(
        (
          await rowsWithIds(
            svc,
            [...orphanRows, live].map((r) => r.event_id),
          )
        ).length,
        21,
      );
      assert.deepEqual(await spoolFiles(dir), []);
    } finally {
      await otherReplayer.stop();
      await other.close();
    }
  });

  test('a full spool counts the attempts it could not keep and records the count as one AuditSpoolOverflow row', async () => {
    const small = new AuditSpool({ dir: await mkdtemp(path.join(tmpdir(), 'certguard-spool-small-')), maxBytes: 4096, logger });
    const replayer = new SpoolReplayer(svc.db, small, logger);
    try {
      const kinds: string[] = [];
      for (let i = 0; i < 12; i++) kinds.push((await appendOrSpool(down.db, small, refusedRow(`full-${i}`))).kind);
      const spooled = kinds.filter((k) => k === 'spooled').length;
      const lost = kinds.filter((k) => k === 'lost').length;
      assert.ok(spooled > 0 && lost > 0, kinds.join());
      assert.ok((await readFile(path.join(small.dir, (await spoolFiles(small.dir))[0]!))).length <= 4096, 'the bound holds');

      const result = await replayer.replayNow();
      assert.equal(result.inserted, spooled);
      assert.equal(result.lostRecorded, lost);
      const summary = await svc.db
        .selectFrom('audit_events')
        .select(['decision', 'error_type', 'request_parameters'])
        .where('event_type', '=', 'AuditSpoolOverflow')
        .execute();
      assert.equal(summary.length, 1);
      assert.equal(summary[0]!.decision, 'ERROR');
      assert.equal((summary[0]!.request_parameters as { lostAttempts: number }).lostAttempts, lost);
      assert.equal((await replayer.replayNow()).lostRecorded, 0, 'recorded once');
    } finally {
      await replayer.stop();
      await small.close();
    }
  });
});
