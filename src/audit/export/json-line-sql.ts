/**
 * SQL fragments that render parts of an audit row as JSON text inside Postgres, shared by the OCSF and CloudTrail
 * line formats (both are built by Postgres from the same export columns, so each line costs no JSON work in Node).
 * `t` is the alias of the export row; every fragment is an SQL text expression.
 */

/** A column as JSON text: strings quoted and escaped by Postgres, NULL as null. */
export const jsonSql = (value: string) => `coalesce(to_json(${value})::text, 'null')`;

/** The chain link as `{"chainSeq","prevHash","hash"}`, or null until the sealer has chained the row. */
export function chainJsonSql(t: string): string {
  return (
    `CASE WHEN ${t}.chain_seq IS NULL THEN 'null' ELSE '{"chainSeq":"' || ${t}.chain_seq || '","prevHash":' || ${jsonSql(`${t}.prev_hash`)}` +
    ` || ',"hash":' || ${jsonSql(`${t}.hash`)} || '}' END`
  );
}

/** `"sequence":"…","decision":…,"failingRuleId":…,"policy":{"name","revision","hash"` — the object is left open. */
export function decisionFieldsSql(t: string): string[] {
  return [
    `',"sequence":"'`,
    `${t}.sequence`,
    `'","decision":'`,
    `${t}.decision_json`,
    `',"failingRuleId":'`,
    jsonSql(`${t}.failing_rule_id`),
    `',"policy":{"name":'`,
    `coalesce(${t}.policy_name_json, 'null')`,
    `',"revision":'`,
    jsonSql(`${t}.policy_revision`),
    `',"hash":'`,
    `coalesce(${t}.policy_hash_json, 'null')`,
  ];
}
