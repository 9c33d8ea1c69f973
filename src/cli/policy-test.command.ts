/** `certguard policy test [dir]`: runs the bundle's own test cases (<dir>/tests/*.yaml) and prints the report. */
import { runPolicyTests } from '../rules/testing/policy-test-runner.ts';
import { formatPolicyTestReport } from '../rules/testing/policy-test-report.ts';
import { bundleDir, withBundle } from './policy-bundle-dir.ts';

/** Exit 0 when every case passes, 1 when any fails or the bundle (or a case file) does not load. */
export function policyTestCommand(dirArgument: string | undefined): Promise<number> {
  return withBundle(bundleDir(dirArgument), async (bundle) => {
    const report = await runPolicyTests(bundle);
    console.log(`policy bundle ${bundle.name} revision ${bundle.revision} (${bundle.dir})\n`);
    process.stdout.write(formatPolicyTestReport(report));
    return report.failed === 0 ? 0 : 1;
  });
}
