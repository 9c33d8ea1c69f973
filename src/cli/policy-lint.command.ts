/**
 * `certguard policy lint [dir]`: loads and type-checks the bundle and reads its test case files, without running
 * anything. For editors, pre-commit hooks and CI before a deploy.
 */
import { loadPolicyTests } from '../rules/testing/policy-test-case.ts';
import { parseCommand } from './cli-args.ts';
import { bundleDir, withBundle } from './policy-bundle-dir.ts';

export const POLICY_LINT_USAGE = `usage: certguard policy lint [dir]

  Loads and type-checks the bundle and its test case files. exit status: 0 ok; 1 a problem (file:line:column on
  stderr); 2 usage error; 3 the directory is missing or unreadable.`;

export function policyLintCommand(args: string[]): Promise<number> | number {
  const parsed = parseCommand(args, POLICY_LINT_USAGE, {}, 1);
  if (typeof parsed === 'number') return parsed;
  return withBundle(bundleDir(parsed.positionals[0]), async (bundle) => {
    await loadPolicyTests(bundle);
    const operations = bundle.operations();
    const rules = operations.reduce((count, operation) => count + bundle.rulesFor(operation).length, 0);
    console.log(`ok: ${bundle.name} revision ${bundle.revision} hash ${bundle.hash}, ${rules} rules in ${operations.length} operations`);
    return 0;
  });
}
