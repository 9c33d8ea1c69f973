/**
 * `certguard policy lint [dir]`: loads and type-checks the bundle and reads its test case files, without running
 * anything. For editors, pre-commit hooks and CI before a deploy.
 */
import { loadPolicyTests } from '../rules/testing/policy-test-case.ts';
import { bundleDir, withBundle } from './policy-bundle-dir.ts';

export function policyLintCommand(dirArgument: string | undefined): Promise<number> {
  return withBundle(bundleDir(dirArgument), async (bundle) => {
    await loadPolicyTests(bundle);
    const operations = bundle.operations();
    const rules = operations.reduce((count, operation) => count + bundle.rulesFor(operation).length, 0);
    console.log(`ok: ${bundle.name} revision ${bundle.revision} hash ${bundle.hash}, ${rules} rules in ${operations.length} operations`);
    return 0;
  });
}
