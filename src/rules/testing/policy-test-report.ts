/**
 * The outcome of a policy test run, and its forms: text for the terminal and CI logs (with -v: each case's
 * decision; with --coverage: the per-rule table), JSON for tools (`certguard policy test --format json`).
 */

export interface PolicyTestCaseResult {
  file: string;
  name: string;
  operation: string;
  passed: boolean;
  /** One line per unmet expectation; empty when the case passed. */
  failures: string[];
  /** The decision the case got: allowed, the failing rule, each rule's outcome in evaluation order. */
  allowed?: boolean;
  failingRuleId?: string;
  rules?: Array<{ id: string; outcome: string }>;
}

/**
 * How the selected cases exercised one rule: how many cases saw each outcome, and `covered` when some case saw it
 * pass and some case saw it fail or error. Per rule, not per branch: CEL does not report which sub-expressions ran.
 */
export interface RuleCoverageEntry {
  operation: string;
  ruleId: string;
  pass: number;
  fail: number;
  error: number;
  skipped: number;
  covered: boolean;
}

export interface PolicyTestReport {
  cases: PolicyTestCaseResult[];
  passed: number;
  failed: number;
  /** Cases left out by --run. */
  skipped?: number;
  /** Rules that no case saw pass, or no case saw fail or error, in bundle order. */
  unexercisedRules: Array<{ operation: string; ruleId: string }>;
  /** Every rule of the bundle, in bundle order. */
  coverage?: RuleCoverageEntry[];
}

export interface PolicyTestTextOptions {
  /** -v: each case's decision under its line. */
  verbose?: boolean;
  /** --coverage: the per-rule table. */
  coverage?: boolean;
}

/**
 * One aligned line per case (PASS/FAIL, file, operation, name) with failure reasons indented beneath, then the
 * unexercised rules, then the summary line `N passed, M failed` on its own (CI parses it).
 */
export function formatPolicyTestReport(report: PolicyTestReport, options: PolicyTestTextOptions = {}): string {
  const lines: string[] = [];
  const fileWidth = Math.max(0, ...report.cases.map((c) => c.file.length));
  const operationWidth = Math.max(0, ...report.cases.map((c) => c.operation.length));
  for (const result of report.cases) {
    const status = result.passed ? 'PASS' : 'FAIL';
    lines.push(`${status}  ${result.file.padEnd(fileWidth)}  ${result.operation.padEnd(operationWidth)}  ${result.name}`);
    for (const failure of result.failures) lines.push(`      - ${failure}`);
    if (options.verbose && result.allowed !== undefined) {
      const by = result.failingRuleId === undefined ? '' : ` by ${result.failingRuleId}`;
      lines.push(
        `      decision: ${result.allowed ? 'allowed' : `denied${by}`}; rules: ${(result.rules ?? []).map((r) => `${r.id}=${r.outcome}`).join(', ') || 'none'}`,
      );
    }
  }
  if (options.coverage && report.coverage) lines.push('', ...coverageTable(report.coverage));
  if (report.cases.length === 0) lines.push('no policy test cases');
  lines.push('');
  if (report.unexercisedRules.length === 0) {
    lines.push('every rule is exercised (some case sees it pass, some case sees it fail or error)');
  } else {
    lines.push(`${report.unexercisedRules.length} rule(s) not exercised both ways (need a case where the rule passes and one where it fails or errors):`);
    const width = Math.max(...report.unexercisedRules.map((rule) => rule.operation.length));
    for (const rule of report.unexercisedRules) lines.push(`  ${rule.operation.padEnd(width)}  ${rule.ruleId}`);
  }
  const skipped = report.skipped ? `, ${report.skipped} skipped (--run)` : '';
  lines.push(`${report.passed} passed, ${report.failed} failed${skipped}`);
  return `${lines.join('\n')}\n`;
}

function coverageTable(coverage: readonly RuleCoverageEntry[]): string[] {
  const covered = coverage.filter((entry) => entry.covered).length;
  const operationWidth = Math.max(9, ...coverage.map((entry) => entry.operation.length));
  const ruleWidth = Math.max(4, ...coverage.map((entry) => entry.ruleId.length));
  const percent = coverage.length === 0 ? 100 : Math.round((covered / coverage.length) * 100);
  return [
    `coverage (cases per rule outcome; covered = seen pass and seen fail or error): ${covered}/${coverage.length} rules (${percent}%)`,
    `  ${'operation'.padEnd(operationWidth)}  ${'rule'.padEnd(ruleWidth)}  pass  fail  error  covered`,
    ...coverage.map(
      (entry) =>
        `  ${entry.operation.padEnd(operationWidth)}  ${entry.ruleId.padEnd(ruleWidth)}  ${String(entry.pass).padStart(4)}  ${String(entry.fail).padStart(4)}  ${String(entry.error).padStart(5)}  ${entry.covered ? 'yes' : 'no'}`,
    ),
  ];
}

/** The report as one JSON document (`--format json`): the same facts as the text, for tools. */
export function policyTestReportJson(report: PolicyTestReport, bundle: { name: string; revision: string; hash: string; dir: string }): string {
  const coverage = report.coverage ?? [];
  const covered = coverage.filter((entry) => entry.covered).length;
  return `${JSON.stringify(
    {
      bundle,
      summary: { passed: report.passed, failed: report.failed, skipped: report.skipped ?? 0, rules: coverage.length, rulesCovered: covered },
      cases: report.cases,
      unexercisedRules: report.unexercisedRules,
      coverage,
    },
    null,
    2,
  )}\n`;
}

/** The failed cases in one message, for refusing a bundle whose own tests fail. */
export function describeFailedCases(report: PolicyTestReport): string {
  const failed = report.cases.filter((result) => !result.passed);
  const details = failed.map((result) => `${result.file} "${result.name}": ${result.failures.join('; ')}`);
  return `${failed.length} policy test case(s) failed: ${details.join(' | ')}`;
}
