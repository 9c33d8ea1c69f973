/** The outcome of a policy test run, and its text form for the terminal and CI logs. */

export interface PolicyTestCaseResult {
  file: string;
  name: string;
  operation: string;
  passed: boolean;
  /** One line per unmet expectation; empty when the case passed. */
  failures: string[];
}

export interface PolicyTestReport {
  cases: PolicyTestCaseResult[];
  passed: number;
  failed: number;
  /** Rules that no case saw pass, or no case saw fail or error, in bundle order. */
  unexercisedRules: Array<{ operation: string; ruleId: string }>;
}

/**
 * One aligned line per case (PASS/FAIL, file, operation, name) with failure reasons indented beneath, then the
 * unexercised rules, then the summary line `N passed, M failed` on its own (CI parses it).
 */
export function formatPolicyTestReport(report: PolicyTestReport): string {
  const lines: string[] = [];
  const fileWidth = Math.max(0, ...report.cases.map((c) => c.file.length));
  const operationWidth = Math.max(0, ...report.cases.map((c) => c.operation.length));
  for (const result of report.cases) {
    const status = result.passed ? 'PASS' : 'FAIL';
    lines.push(`${status}  ${result.file.padEnd(fileWidth)}  ${result.operation.padEnd(operationWidth)}  ${result.name}`);
    for (const failure of result.failures) lines.push(`      - ${failure}`);
  }
  if (report.cases.length === 0) lines.push('no policy test cases');
  lines.push('');
  if (report.unexercisedRules.length === 0) {
    lines.push('every rule is exercised (some case sees it pass, some case sees it fail or error)');
  } else {
    lines.push(`${report.unexercisedRules.length} rule(s) not exercised both ways (need a case where the rule passes and one where it fails or errors):`);
    const width = Math.max(...report.unexercisedRules.map((rule) => rule.operation.length));
    for (const rule of report.unexercisedRules) lines.push(`  ${rule.operation.padEnd(width)}  ${rule.ruleId}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** The failed cases in one message, for refusing a bundle whose own tests fail. */
export function describeFailedCases(report: PolicyTestReport): string {
  const failed = report.cases.filter((result) => !result.passed);
  const details = failed.map((result) => `${result.file} "${result.name}": ${result.failures.join('; ')}`);
  return `${failed.length} policy test case(s) failed: ${details.join(' | ')}`;
}
