/**
 * Four certguard processes (each a real service in a child process with its own sealer) on one Postgres
 * database, thousands of decisions, some rolled back after their audit insert and some committing late: one
 * unbroken chain, gap-free 1..N, every committed audit row chained exactly once, no fork.
 * Postgres only (PGlite is one process's embedded database), so the test is registered only there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IoTClient, TransferCertificateCommand } from '@aws-sdk/client-iot';
import { sql } from 'kysely';
import { verifyDatabaseChain } from '../../src/audit/verification/verify-database.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { waitUntilSealed } from '../support/audit-chain-support.ts';
import { createCertificate } from '../support/iot-fixtures.ts';
import { freePort, type ServiceProcess, startServiceProcess } from '../support/service-process.ts';
import { demoOperatorOne, demoOperatorTwo, TEST_REGION } from '../support/sign-request.ts';
import { createScratchDatabase, type ScratchDatabase, testDatabaseKind } from '../support/test-database.ts';
import { keepAliveSafeHandler } from '../support/test-service.ts';

const PROCESSES = 4;
const CLIENTS_PER_PROCESS = 6;
const TARGET_DECISIONS = 3200;
const MAX_LOAD_MS = 90_000;

interface Node {
  process: ServiceProcess;
  client: IoTClient;
}

async function startNodes(url: string): Promise<Node[]> {
  return Promise.all(
    Array.from({ length: PROCESSES }, async () => {
      const port = await freePort();
      const process = startServiceProcess({
        DATABASE_URL: url,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        CERTGUARD_RATE_LIMIT: '0',
        CERTGUARD_AUDIT_CHECKPOINT_EVERY: '500',
      });
      await process.ready(port, 120_000);
      const client = new IoTClient({
        region: TEST_REGION,
        endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1,
        credentials: { accessKeyId: demoOperatorOne.accessKeyId, secretAccessKey: demoOperatorOne.secretAccessKey },
        requestHandler: keepAliveSafeHandler(),
      });
      return { process, client };
    }),
  );
}

/** Rolls back every 10th audit insert (after the row is written) and makes another tenth commit 300 ms late. */
const DISTURB = sql`
  CREATE FUNCTION disturb_audit_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.sequence % 10 = 7 THEN RAISE EXCEPTION 'provoked rollback after the audit insert'; END IF;
    IF NEW.sequence % 10 = 3 THEN PERFORM pg_sleep(0.3); END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER disturb_audit_inserts AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION disturb_audit_inserts();`;

if (testDatabaseKind === 'postgres') {
  describe('the audit chain with four writer processes on one Postgres', () => {
    let scratch: ScratchDatabase;
    let database: DatabaseHandle;
    let nodes: Node[] = [];
    const outcomes = { denied: 0, failed: 0, other: [] as string[] };

    before(async () => {
      scratch = await createScratchDatabase();
      database = await openDatabase({ databaseUrl: scratch.url, dataDir: 'memory://' });
      await migrateToLatest(database.db);
      nodes = await startNodes(scratch.url);
    });

    after(async () => {
      for (const node of nodes) {
        node.client.destroy();
        node.process.child.kill('SIGTERM');
        await node.process.exited;
      }
      await database?.close();
      await scratch?.drop();
    });

    async function clientLoop(node: Node, certificateId: string, deadline: number): Promise<void> {
      while (outcomes.denied + outcomes.failed < TARGET_DECISIONS && Date.now() < deadline) {
        try {
          await node.client.send(new TransferCertificateCommand({ certificateId, targetAwsAccount: demoOperatorTwo.accountId }));
          outcomes.other.push('transfer of an ACTIVE certificate was allowed');
        } catch (error) {
          const name = (error as { name?: string }).name;
          if (name === 'CertificateStateException') outcomes.denied += 1;
          else if (name === 'InternalFailureException') outcomes.failed += 1;
          else outcomes.other.push(String(name));
        }
      }
    }

    test('thousands of decisions, some rolled back and some committing late, form one gap-free, unforked chain', { timeout: 240_000 }, async (t) => {
      const certificates = await Promise.all(nodes.flatMap((node) => Array.from({ length: CLIENTS_PER_PROCESS }, () => createCertificate(node.client, true))));
      await sql`${DISTURB}`.execute(database.db);
      const deadline = Date.now() + MAX_LOAD_MS;
      await Promise.all(certificates.map((cert, index) => clientLoop(nodes[index % PROCESSES]!, cert.certificateId, deadline)));
      await sql`DROP TRIGGER disturb_audit_inserts ON audit_events`.execute(database.db);
      t.diagnostic(`${outcomes.denied} denials, ${outcomes.failed} rolled back, in ${MAX_LOAD_MS - (deadline - Date.now())} ms`);

      assert.deepEqual(outcomes.other, []);
      assert.ok(outcomes.denied + outcomes.failed >= TARGET_DECISIONS, `only ${outcomes.denied + outcomes.failed} decisions in ${MAX_LOAD_MS} ms`);
      assert.ok(outcomes.failed > 0, 'some decisions were rolled back');
      await waitUntilSealed(database.db, 10_000);

      const {
        rows: [events],
      } = await sql<{ n: string; top: string }>`SELECT count(*) AS n, max(sequence) AS top FROM audit_events`.execute(database.db);
      const {
        rows: [chain],
      } = await sql<{ n: string; low: string; high: string; distinct_events: string }>`
        SELECT count(*) AS n, min(chain_seq) AS low, max(chain_seq) AS high, count(DISTINCT event_sequence) AS distinct_events FROM audit_chain`.execute(
        database.db,
      );
      assert.ok(Number(events?.top) > Number(events?.n), 'rolled-back decisions left sequence gaps');
      assert.equal(chain?.n, events?.n, 'every committed audit row is chained');
      assert.equal(chain?.low, '1');
      assert.equal(chain?.high, chain?.n, 'chain positions are gap-free');
      assert.equal(chain?.distinct_events, chain?.n, 'no audit row is chained twice');
      const {
        rows: [denials],
      } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM audit_events WHERE operation = 'TransferCertificate' AND decision = 'DENY' AND failing_rule_id IS NOT NULL`.execute(
        database.db,
      );
      assert.ok(Number(denials?.n) >= outcomes.denied, 'every acknowledged denial has its audit row');

      const {
        rows: [late],
      } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM (SELECT event_sequence < lag(event_sequence) OVER (ORDER BY chain_seq) AS earlier FROM audit_chain) s WHERE earlier`.execute(
        database.db,
      );
      assert.ok(Number(late?.n) > 0, 'rows that committed late were chained after rows with higher sequences');

      const report = await verifyDatabaseChain(database.db);
      assert.equal(report.ok, true, report.detail);
      assert.equal(report.checkedEntries, Number(chain?.n));
      assert.ok(report.checkpointsVerified >= 2, `checkpoints from the processes verify (${report.checkpointsVerified})`);
    });
  });
}
