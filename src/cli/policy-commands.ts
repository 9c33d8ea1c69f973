/** `certguard policy <test|lint> [dir]`: the guard-rule bundle's own checks, for authors and CI. */
import { policyLintCommand } from './policy-lint.command.ts';
import { policyTestCommand } from './policy-test.command.ts';

export const POLICY_USAGE = `usage: certguard policy <test|lint> [dir]

  test [dir]   run the bundle's test cases (<dir>/tests/*.yaml); exit 1 if any fails
  lint [dir]   load and type-check the bundle and its test case files, without running them

dir defaults to CERTGUARD_POLICIES_DIR (else the shipped policies/).`;

/** Exit code: the command's own, or 2 for a usage error. */
export async function runPolicyCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const dir = rest[0];
  if (rest.length > 1) return usageError(`unexpected argument "${rest[1]}"`);
  if (dir?.startsWith('-')) return usageError(`unknown option "${dir}"`);
  switch (subcommand) {
    case 'help':
    case '--help':
      console.log(POLICY_USAGE);
      return 0;
    case 'test':
      return policyTestCommand(dir);
    case 'lint':
      return policyLintCommand(dir);
    case undefined:
      return usageError('missing subcommand');
    default:
      return usageError(`unknown subcommand "${subcommand}"`);
  }
}

function usageError(problem: string): number {
  console.error(`certguard policy: ${problem}\n\n${POLICY_USAGE}`);
  return 2;
}
