/** `certguard audit <subcommand>`: one line per subcommand, each in its own file. */
import { AUDIT_VERIFY_USAGE, runAuditVerify } from './audit-verify.command.ts';

export async function runAuditCommand(args: string[]): Promise<number> {
  switch (args[0]) {
    case 'verify':
      return args.includes('--help') ? (console.log(AUDIT_VERIFY_USAGE), 0) : runAuditVerify(args.slice(1));
    default:
      console.error(`unknown audit command "${args[0] ?? ''}"\n\n${AUDIT_VERIFY_USAGE}`);
      return 2;
  }
}
