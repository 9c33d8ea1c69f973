/**
 * The members of rule_outcomes a CSV row shows in columns of their own (decisionId, rules, warnings), parsed once
 * per row by a LATERAL json_to_record beside view row `alias` in the line query (export-chunks.ts). Reading each
 * with -> or ->> parsed the json again every time. A value that is not a JSON object (only a hand-edited row)
 * gives no members instead of failing the export.
 */
import type { ViewRow } from './export-row.ts';

export function ruleOutcomesJoin(alias: string): string {
  return (
    `LEFT JOIN LATERAL json_to_record(CASE WHEN json_typeof(${alias}.rule_outcomes_json) = 'object' THEN ${alias}.rule_outcomes_json END)` +
    ` AS ro("decisionId" text, rules json, warnings json) ON true`
  );
}

const FROM_RULE_OUTCOMES: Partial<Record<keyof ViewRow, string>> = {
  decision_id: 'ro."decisionId"',
  rules_json: "coalesce(ro.rules::text, '[]')",
  warnings_json: "coalesce(ro.warnings::text, '[]')",
};

/** A view column as SQL in a line expression over view row `alias` (with ruleOutcomesJoin beside it). */
export function viewColumnSql(alias: string, name: keyof ViewRow): string {
  return FROM_RULE_OUTCOMES[name] ?? `${alias}.${name}`;
}
