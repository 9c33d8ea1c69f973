/**
 * `certguard policy test [dir] [--format text|json] [-v] [--run PATTERN] [--coverage]`: runs the bundle's own test
 * cases (<dir>/tests/*.yaml) and prints the report — the options OPA users know from `opa test`.
 */
import { formatPolicyTestReport, policyTestReportJson } from '../rules/testing/policy-test-report.ts';
import { runPolicyTests } from '../rules/testing/policy-test-runner.ts';
import { EXIT_FINDING, EXIT_OK, parseCommand, usageError } from './cli-args.ts';
import { bundleDir, withBundle } from './policy-bundle-dir.ts';

export const POLICY_TEST_USAGE = `usage: certguard policy test [dir] [--format text|json] [-v] [--run PATTERN] [--coverage]

  Runs the bundle's test cases (<dir>/tests/*.yaml).
  --format json   one JSON document on stdout: bundle, summary, cases (with their decisions), coverage
  -v, --verbose   each case's decision (allowed or denied, every rule's outcome) under its line
  --run PATTERN   only the cases whose name or operation matches the regular expression PATTERN
  --coverage      per rule: how many cases saw it pass, fail, error; covered = seen pass and seen fail or error
  exit status: 0 every case passes; 1 a case fails or the bundle does not load; 2 usage error;
  3 the directory is missing or unreadable`;

export function policyTestCommand(args: string[]): Promise<number> | number {
  const parsed = parseCommand(
    args,
    POLICY_TEST_USAGE,
    {
      format: { type: 'string', default: 'text' },
      verbose: { type: 'boolean', short: 'v', default: false },
      run: { type: 'string' },
      coverage: { type: 'boolean', default: false },
    },
    1,
  );
  if (typeof parsed === 'number') return parsed;
  const { format, verbose, run, coverage } = parsed.values;
  if (format !== 'text' && format !== 'json') return usageError(`--format must be text or json, not "${format}"`, POLICY_TEST_USAGE);
  let pattern: RegExp | undefined;
  try {
    pattern = run === undefined ? undefined : new RegExp(run);
  } catch (error) {
    return usageError(`--run: ${(error as Error).message}`, POLICY_TEST_USAGE);
  }
  return withBundle(bundleDir(parsed.positionals[0]), async (bundle) => {
    const report = await runPolicyTests(bundle, undefined, pattern ? { run: pattern } : {});
    if (format === 'json') {
      process.stdout.write(policyTestReportJson(report, { name: bundle.name, revision: bundle.revision, hash: bundle.hash, dir: bundle.dir }));
    } else {
      console.log(`policy bundle ${bundle.name} revision ${bundle.revision} (${bundle.dir})\n`);
      process.stdout.write(formatPolicyTestReport(report, { verbose: verbose === true, coverage: coverage === true }));
    }
    return report.failed === 0 ? EXIT_OK : EXIT_FINDING;
  });
}
