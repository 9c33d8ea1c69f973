/** `certguard policy <test|lint|eval>`: the guard-rule bundle's own checks and offline evaluation, for authors and CI. */
import { helpOrUnknown } from './cli-args.ts';
import { POLICY_EVAL_USAGE, policyEvalCommand } from './policy-eval.command.ts';
import { POLICY_LINT_USAGE, policyLintCommand } from './policy-lint.command.ts';
import { POLICY_TEST_USAGE, policyTestCommand } from './policy-test.command.ts';

export const POLICY_USAGE = `usage: certguard policy <test|lint|eval> [options]

  test [dir]   run the bundle's test cases (<dir>/tests/*.yaml); exit 1 if any fails
  lint [dir]   load and type-check the bundle and its test case files, without running them
  eval         decide one operation for one input offline, as POST /v1/policy/evaluate would

dir defaults to CERTGUARD_POLICIES_DIR (else the shipped policies/). certguard policy <command> --help for its options.

${POLICY_TEST_USAGE}

${POLICY_LINT_USAGE}

${POLICY_EVAL_USAGE}`;

const SUBCOMMANDS = { test: policyTestCommand, lint: policyLintCommand, eval: policyEvalCommand } as const;

export async function runPolicyCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const done = helpOrUnknown(subcommand, Object.keys(SUBCOMMANDS), POLICY_USAGE);
  if (done !== undefined) return done;
  return SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS](rest);
}
