/**
 * `certguard audit verify`: recompute the audit hash chain and check the signed checkpoints (docs/audit.md
 * section 6), either in the database named by the service's own configuration variables, or offline in an
 * NDJSON export plus its checkpoints file. Exit 0 when the chain verifies, 1 when it does not, 2 on usage errors.
 */
import { createPublicKey } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseCheckpointsDocument } from '../audit/chain/checkpoints-document.ts';
import { keyIdOf } from '../audit/chain/signing-key.ts';
import { verifyDatabaseChain } from '../audit/chain/verify-database.ts';
import { ExportFormatError, verifyExport } from '../audit/chain/verify-export.ts';
import type { VerifyReport } from '../audit/chain/verify-report.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { progressReporter } from './audit-progress.ts';

export const AUDIT_VERIFY_USAGE = `usage: certguard audit verify [--from-checkpoint <id>] [--recompute-in-node] [--public-key <pem>]... [--json]
       certguard audit verify --offline <export.ndjson> --checkpoints <checkpoints.json> [--public-key <pem>]... [--json]

  Without --offline: the database of DATABASE_URL (or the embedded one in CERTGUARD_DATA_DIR; stop the service first).
  --from-checkpoint  start at a checkpoint (after archiving what precedes it)
  --recompute-in-node  recompute every hash in this process, not with the database's sha256 (slower, independent)
  --public-key       trust only checkpoints signed by this key (PEM, public or private; repeatable)
  --json             print the report as JSON only`;

class UsageError extends Error {}

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        offline: { type: 'string' },
        checkpoints: { type: 'string' },
        'from-checkpoint': { type: 'string' },
        'recompute-in-node': { type: 'boolean', default: false },
        'public-key': { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function trustedKeyIds(files: string[] | undefined): Promise<Set<string> | undefined> {
  if (!files || files.length === 0) return undefined;
  const ids = new Set<string>();
  for (const file of files) ids.add(keyIdOf(createPublicKey(await readFile(file, 'utf8'))));
  return ids;
}

async function verifyOffline(exportFile: string, checkpointsFile: string | undefined, trusted: Set<string> | undefined): Promise<VerifyReport> {
  if (!checkpointsFile) throw new UsageError('--offline needs --checkpoints <checkpoints.json>');
  const document = parseCheckpointsDocument(await readFile(checkpointsFile, 'utf8'));
  const progress = progressReporter();
  const lines = createInterface({ input: createReadStream(exportFile, 'utf8'), crlfDelay: Infinity });
  try {
    return await verifyExport(lines, document, { ...(trusted ? { trustedKeyIds: trusted } : {}), onProgress: progress.update });
  } finally {
    progress.done();
    lines.close();
  }
}

async function verifyOnline(fromCheckpointId: string | undefined, trusted: Set<string> | undefined, inNode: boolean): Promise<VerifyReport> {
  const database = await openDatabase(loadConfig());
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
    return `audit chain OK: ${report.checkedEntries} entries verified (positions ${report.fromChainSeq}..${report.headChainSeq ?? '-'}), `
      + `${report.checkpointsVerified} checkpoints, ${report.unsealedRows} rows not sealed yet`;
  }
  const where = [report.firstBrokenSequence && `sequence ${report.firstBrokenSequence}`, report.firstBrokenChainSeq && `chain position ${report.firstBrokenChainSeq}`]
    .filter(Boolean).join(', ');
  return `audit chain BROKEN: ${report.reason}${where ? ` at ${where}` : ''}\n  ${report.detail ?? ''}`;
}

export async function runAuditVerify(args: string[]): Promise<number> {
  try {
    const values = options(args);
    const trusted = await trustedKeyIds(values['public-key']);
    const report = values.offline
      ? await verifyOffline(values.offline, values.checkpoints, trusted)
      : await verifyOnline(values['from-checkpoint'], trusted, values['recompute-in-node']);
    console.log(values.json ? JSON.stringify(report, null, 2) : summary(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof ExportFormatError)) throw error;
    console.error(`${error.message}\n\n${AUDIT_VERIFY_USAGE}`);
    return 2;
  }
}
