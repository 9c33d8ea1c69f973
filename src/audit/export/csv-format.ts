/**
 * CSV export (RFC 4180): a header row, then one row per event, CRLF line ends. Text fields are always quoted,
 * inner quotes doubled; null is an empty field; sequence, event id, event time and chain position are bare. The columns are the query
 * API's event view flattened: one column per scalar member, and every structured value (caller roles, rules,
 * warnings, request parameters) as JSON in one column. Postgres writes the rows (csvLineSql, run by
 * export-chunks.ts) from the 'view' columns of export-row.ts, each computed once per row.
 * Formula guard (on by default): a text cell beginning with `=`, `+`, `-`, `@`, tab or carriage return runs as a
 * formula when the file is opened in a spreadsheet, and callers control some of that text (user agent, messages,
 * policy names). Per OWASP's CSV-injection advice such a cell gets a leading single quote inside its quotes
 * (`"'=HYPERLINK(...)"`). `csvFormulaGuard=false` (shape 'csv-raw') writes every value as stored, for a
 * byte-faithful file; NDJSON is always faithful (and verifiable). The guard is one ascii() test per text field.
 */
import { concatSql } from '../../db/sql-concat.ts';
import type { ViewRow } from './export-row.ts';
import { viewColumnSql } from './rule-outcomes-sql.ts';

export const CSV_COLUMNS: ReadonlyArray<readonly [name: string, column: keyof ViewRow]> = [
  ['eventId', 'event_id'],
  ['sequence', 'sequence'],
  ['eventTime', 'event_time_utc'],
  ['eventType', 'event_type'],
  ['operation', 'operation'],
  ['requestId', 'request_id'],
  ['callerAccountId', 'caller_account_id'],
  ['callerAccessKeyId', 'caller_access_key_id'],
  ['callerRoles', 'caller_roles_json'],
  ['sourceIp', 'source_ip'],
  ['userAgent', 'user_agent'],
  ['traceId', 'trace_id'],
  ['spanId', 'span_id'],
  ['certificateId', 'certificate_id'],
  ['certificateArn', 'certificate_arn'],
  ['targetAccountId', 'target_account_id'],
  ['decision', 'decision'],
  ['decisionId', 'decision_id'],
  ['errorType', 'error_type'],
  ['errorMessage', 'error_message'],
  ['failingRuleId', 'failing_rule_id'],
  ['rules', 'rules_json'],
  ['warnings', 'warnings_json'],
  ['policyName', 'policy_name'],
  ['policyRevision', 'policy_revision'],
  ['policyHash', 'policy_hash'],
  ['requestParameters', 'request_parameters_json'],
  ['chainSeq', 'chain_seq'],
  ['prevHash', 'prev_hash'],
  ['hash', 'hash'],
];

export function csvHeaderRow(): string {
  return `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;
}

/** Columns whose values are never quoted: digits, uuids and times rendered by Postgres itself. */
const UNQUOTED = new Set<keyof ViewRow>(['sequence', 'event_id', 'event_time_utc', 'chain_seq']);

/**
 * RFC 4180 in SQL: every other non-null value is quoted, inner quotes doubled. Quoting all (which RFC 4180
 * allows) costs Postgres one replace() per field; testing each value for a comma, quote or line break first
 * measured three times slower.
 */
function csvFieldSql(value: string, quoted: boolean, guarded: boolean): string {
  if (!quoted) return `coalesce(${value}, '')`;
  const guard = guarded ? `${FORMULA_GUARD_SQL(value)} || ` : '';
  return `coalesce('"' || ${guard}replace(${value}, '"', '""') || '"', '')`;
}

/**
 * Columns the guard skips, because what they hold cannot begin with a trigger character: JSON the service writes
 * (an array or object: `[` or `{` first), values of a shape fixed by the service or checked against the contract
 * before any audit row is written (hex ids and hashes, uuids, account ids, access key ids, enums, operation and
 * event type names, ARNs the service builds), and the unquoted columns (digits, uuids, times: a negative number
 * is not caller text). Every other column is guarded: the user agent, the source address, error messages (a
 * rule's message may echo caller input), and the operator's bundle name, revision and rule ids. A new column is
 * guarded unless it is added here. Measured on 1M values, the CASE is within the noise of the field's replace();
 * still, only the 6 columns that can hold such text pay for it.
 */
const FORMULA_SAFE = new Set<keyof ViewRow>([
  'caller_roles_json',
  'rules_json',
  'warnings_json',
  'request_parameters_json',
  'event_type',
  'operation',
  'request_id',
  'caller_account_id',
  'caller_access_key_id',
  'trace_id',
  'span_id',
  'certificate_id',
  'certificate_arn',
  'target_account_id',
  'decision',
  'decision_id',
  'error_type',
  'policy_hash',
  'prev_hash',
  'hash',
]);

/** `'` before a value whose first character is = + - @ TAB or CR (ascii() of NULL is NULL: no prefix). */
const FORMULA_GUARD_SQL = (value: string) => `CASE WHEN ascii(${value}) IN (9, 13, 43, 45, 61, 64) THEN '''' ELSE '' END`;

export interface CsvOptions {
  /** Prefix formula-like text cells with `'` (default true); false writes the values as stored. */
  formulaGuard?: boolean;
}

/** The SQL expression of one CSV row (no line end) from the view columns of `alias` (concatSql: balanced). */
export function csvLineSql(alias: string, { formulaGuard = true }: CsvOptions = {}): string {
  return concatSql(
    CSV_COLUMNS.flatMap(([name, column], index) => {
      const value = name === 'callerRoles' ? `coalesce(${alias}.${column}, '[]')` : viewColumnSql(alias, column);
      const field = csvFieldSql(value, !UNQUOTED.has(column), formulaGuard && !FORMULA_SAFE.has(column));
      return index === 0 ? [field] : [`','`, field];
    }),
  );
}
