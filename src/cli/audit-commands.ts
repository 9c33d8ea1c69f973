/** `certguard audit <subcommand>`: one line per subcommand, each in its own file. */
import { helpOrUnknown } from './cli-args.ts';
import { AUDIT_LOOKUP_USAGE, runAuditLookup } from './audit-lookup.command.ts';
import { AUDIT_PARTITIONS_USAGE, runAuditPartitions } from './audit-partitions.command.ts';
import { AUDIT_VERIFY_USAGE, runAuditVerify } from './audit-verify.command.ts';

export const AUDIT_USAGE = `usage: certguard audit <verify|lookup|partitions> [options]

  verify       verify the audit hash chain and signed checkpoints (in the database, or an export offline)
  lookup       the newest audit events as CloudTrail records (NDJSON), with CloudTrail-style filters
  partitions   list (and create ahead) the monthly partitions of the audit table

certguard audit <command> --help for its options.

${AUDIT_VERIFY_USAGE}

${AUDIT_LOOKUP_USAGE}

${AUDIT_PARTITIONS_USAGE}`;

const SUBCOMMANDS = { verify: runAuditVerify, lookup: runAuditLookup, partitions: runAuditPartitions } as const;

export async function runAuditCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const done = helpOrUnknown(subcommand, Object.keys(SUBCOMMANDS), AUDIT_USAGE);
  if (done !== undefined) return done;
  return SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS](rest);
}
