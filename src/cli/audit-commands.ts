/** `certguard audit <subcommand>`: one line per subcommand, each in its own file. */
import { AUDIT_PARTITIONS_USAGE, runAuditPartitions } from './audit-partitions.command.ts';
import { AUDIT_VERIFY_USAGE, runAuditVerify } from './audit-verify.command.ts';

export async function runAuditCommand(args: string[]): Promise<number> {
  switch (args[0]) {
    case 'verify':
      return args.includes('--help') ? printUsage(AUDIT_VERIFY_USAGE) : runAuditVerify(args.slice(1));
    case 'partitions':
      return args.includes('--help') ? printUsage(AUDIT_PARTITIONS_USAGE) : runAuditPartitions(args.slice(1));
    default:
      console.error(`unknown audit command "${args[0] ?? ''}"\n\n${AUDIT_VERIFY_USAGE}\n\n${AUDIT_PARTITIONS_USAGE}`);
      return 2;
  }
}

/** `--help`: the usage on stdout, exit code 0. */
function printUsage(usage: string): number {
  console.log(usage);
  return 0;
}
