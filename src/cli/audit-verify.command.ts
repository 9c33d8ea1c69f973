/**
 * `certguard audit verify`: recompute the audit hash chain and check the signed checkpoints (docs/audit.md
 * section 6), either in the database named by the service's own configuration variables, or offline in an
 * NDJSON export plus its checkpoints file. The exit code alone tells automation what happened (docs/audit.md
 * section 6): 0 verified, 1 tampering found (the chain does not verify), 2 usage error, 3 cannot run (no database,
 * unreachable, not migrated, a missing or unreadable file...: nothing was verified, nothing is known). It never
 * creates nor migrates a database (src/db/existing-database.ts).
 */
import { createPublicKey } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseCheckpointsDocument } from '../audit/checkpoints/checkpoints-document.ts';
import { keyIdOf } from '../audit/checkpoints/signing-key.ts';
import { UnknownCheckpointError, verifyDatabaseChain } from '../audit/verification/verify-database.ts';
import { verifyExport } from '../audit/verification/verify-export.ts';
import type { VerifyReport } from '../audit/verification/verify-report.ts';
import { loadConfig } from '../config.ts';
import { openExistingDatabase } from '../db/existing-database.ts';
import { progressReporter } from './audit-progress.ts';
import { EXIT_CANNOT_RUN, EXIT_FINDING, EXIT_OK, EXIT_USAGE, parseCommand, UsageError } from './cli-args.ts';

export const AUDIT_VERIFY_USAGE = `usage: certguard audit verify [--from-checkpoint <id>] [--recompute-in-node] [--public-key <pem>]... [--json]
       certguard audit verify --offline <export.ndjson> --checkpoints <checkpoints.json> [--public-key <pem>]... [--json]

  Without --offline: the database of DATABASE_URL (or the embedded one in CERTGUARD_DATA_DIR; stop the service first).
  --from-checkpoint  start at a checkpoint (after archiving what precedes it)
  --recompute-in-node  recompute every hash in this process, not with the database's sha256 (slower, independent)
  --public-key       trust only checkpoints signed by this key (PEM, public or private; repeatable)
  --json             print the report as JSON only

  exit status: 0 the chain verifies; 1 it does not (tampering or loss: the report says where); 2 usage error;
  3 cannot run (no database or not migrated, database unreachable, export or checkpoints file missing or unreadable)`;

export const EXIT_VERIFIED = EXIT_OK;
export const EXIT_BROKEN = EXIT_FINDING;

/** The tables verify reads; a database without them is not one it can verify. */
const CHAIN_TABLES = ['audit_events', 'audit_chain', 'audit_checkpoints'] as const;

const OPTIONS = {
  offline: { type: 'string' },
  checkpoints: { type: 'string' },
  'from-checkpoint': { type: 'string' },
  'recompute-in-node': { type: 'boolean', default: false },
  'public-key': { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
} as const;

async function trustedKeyIds(files: string[] | undefined): Promise<Set<string> | undefined> {
  if (!files || files.length === 0) return undefined;
  const ids = new Set<string>();
  for (const file of files) ids.add(keyIdOf(createPublicKey(await readFile(file, 'utf8'))));
  return ids;
}

async function verifyOffline(exportFile: string, checkpointsFile: string | undefined, trusted: Set<string> | undefined): Promise<VerifyReport> {
  if (!checkpointsFile) throw new UsageError('--offline needs --checkpoints <checkpoints.json>');
  const document = parseCheckpointsDocument(await readFile(checkpointsFile, 'utf8'));
  // Opened first, so a missing or unreadable file is a rejected promise (exit 3), not a stream error event.
  const file = await open(exportFile, 'r');
  const progress = progressReporter();
  const lines = createInterface({ input: file.createReadStream({ encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    return await verifyExport(lines, document, { ...(trusted ? { trustedKeyIds: trusted } : {}), onProgress: progress.update });
  } finally {
    progress.done();
    lines.close();
    await file.close().catch(() => {});
  }
}

async function verifyOnline(fromCheckpointId: string | undefined, trusted: Set<string> | undefined, inNode: boolean): Promise<VerifyReport> {
  const database = await openExistingDatabase(loadConfig(), CHAIN_TABLES);
  const progress = progressReporter();
  try {
    return await verifyDatabaseChain(database.db, {
      ...(fromCheckpointId ? { fromCheckpointId } : {}),
      ...(trusted ? { trustedKeyIds: trusted } : {}),
      recomputeIn: inNode ? 'node' : 'database',
      onProgress: progress.update,
    });
  } finally {
    progress.done();
    await database.close();
  }
}

function summary(report: VerifyReport): string {
  if (report.ok) {
    return (
      `audit chain OK: ${report.checkedEntries} entries verified (positions ${report.fromChainSeq}..${report.headChainSeq ?? '-'}), ` +
      `${report.checkpointsVerified} checkpoints, ${report.unsealedRows} rows not sealed yet`
    );
  }
  const where = [
    report.firstBrokenSequence && `sequence ${report.firstBrokenSequence}`,
    report.firstBrokenChainSeq && `chain position ${report.firstBrokenChainSeq}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `audit chain BROKEN: ${report.reason}${where ? ` at ${where}` : ''}\n  ${report.detail ?? ''}`;
}

export async function runAuditVerify(args: string[]): Promise<number> {
  const parsed = parseCommand(args, AUDIT_VERIFY_USAGE, OPTIONS);
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values;
  if (values.offline && !values.checkpoints) {
    console.error(`--offline needs --checkpoints <checkpoints.json>\n\n${AUDIT_VERIFY_USAGE}`);
    return EXIT_USAGE;
  }
  let report: VerifyReport;
  try {
    const trusted = await trustedKeyIds(values['public-key']);
    report = values.offline
      ? await verifyOffline(values.offline, values.checkpoints, trusted)
      : await verifyOnline(values['from-checkpoint'], trusted, values['recompute-in-node']);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UnknownCheckpointError) {
      console.error(`--from-checkpoint: ${message}\n\n${AUDIT_VERIFY_USAGE}`);
      return EXIT_USAGE;
    }
    // Nothing was verified: never answer 1 ("broken") for a typo, a missing file or a database that is not there.
    console.error(`certguard audit verify cannot run: ${message}`);
    return EXIT_CANNOT_RUN;
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : summary(report));
  return report.ok ? EXIT_VERIFIED : EXIT_BROKEN;
}
