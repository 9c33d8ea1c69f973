/**
 * The audit record (format v1, docs/audit.md section 3) rendered by Postgres, in canonical key order: the same
 * bytes as canonicalJson(toAuditRecord(row)) for a row written by certguard. The database verify hashes it
 * (verify-range-sql.ts) and the NDJSON export writes it, followed by the chain fields (src/audit/export/export-row.ts).
 * Renderings: int8, uuid and times need no escaping; every other value goes through to_json, whose escaping is
 * exactly JSON.stringify's; the json columns hold canonical text already, so they are copied as stored.
 * The parts are joined by concatSql (balanced, not one long chain: src/db/sql-concat.ts says why).
 */
import { AUDIT_RECORD_KEYS, UTC_TIMESTAMP_FORMAT } from './audit-record.ts';

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function memberValueSql(key: string, table: string): string {
  const column = `${table}.${snakeCase(key)}`;
  switch (key) {
    case 'sequence':
    case 'eventId':
      return `'"' || ${column} || '"'`;
    case 'eventTime':
      return `'"' || to_char(${column} AT TIME ZONE 'UTC', ${UTC_TIMESTAMP_FORMAT}) || '"'`;
    case 'ruleOutcomes':
    case 'policyInput':
    case 'requestParameters':
      return `coalesce(${column}::text, 'null')`;
    default:
      return `coalesce(to_json(${column})::text, 'null')`;
  }
}

/**
 * The parts of `{"callerAccessKeyId":…,…,"userAgent":…` of audit row `table`, without the closing brace (the
 * export adds members): each key with its punctuation, then its value, all text.
 */
export function recordMemberParts(table: string): string[] {
  return [...AUDIT_RECORD_KEYS].sort().flatMap((key, index) => [`'${index === 0 ? '{' : ','}"${key}":'`, memberValueSql(key, table)]);
}
