/**
 * What an export query selects per audit row, by shape, and the chunks of lines the walks hand out
 * (export-chunks.ts joins the lines):
 * - 'record' (NDJSON): the line itself, built by Postgres — the 26 keys of the hashed record in canonical order,
 *   rendered by src/audit/chain/record-sql.ts exactly as the verify hashes them (docs/audit.md section 3), then
 *   chainSeq, prevHash, hash and, for a sealed row, sealedAt. Parsed, it equals what exportRecordLine() of
 *   src/audit/chain/ndjson-lines.ts writes (test/integration/audit-export.test.ts verifies exports offline).
 * - 'csv', 'ocsf' and 'cloudtrail': the columns of the client view, every value as text, json as JSON text, from which
 *   Postgres writes the CSV row, OCSF line or CloudTrail record (csv-format.ts, ocsf-format.ts, cloudtrail-format.ts).
 * `sealed: false` renders the chain fields as NULL (rows exported as unsealed).
 */
import { type AliasedRawBuilder, type Selectable, sql } from 'kysely';
import type { AuditEventsTable } from '../../db/schema.ts';
import { concatSql } from '../../db/sql-concat.ts';
import { UTC_TIMESTAMP_FORMAT } from '../chain/audit-record.ts';
import { recordMemberParts } from '../chain/record-sql.ts';
import { OCSF_ESCAPED_COLUMNS, ocsfActivityIdSql } from './ocsf-format.ts';

/** Finished lines, as the export writes them, and the chain they cover. */
export interface ExportChunk {
  /** NDJSON or OCSF lines, each `\n`-terminated, or CSV rows, each CRLF-terminated: text, or its UTF-8 bytes in pieces. */
  lines: string | readonly Buffer[];
  /** Audit events (lines) in the chunk. */
  records: number;
  /** The last chain position and hash the chunk covers; null when it holds no sealed event. */
  chain_seq: string | null;
  hash: string | null;
  /** Called once the socket has taken all of `lines` (their memory may then be reused). */
  written?: () => void;
}

/** A chunk read by an ordinary query (export-chunks.ts runChunked), with the keys keyset walks continue after. */
export interface RecordChunk extends ExportChunk {
  lines: string;
  /** The audit sequence and event time (UTC text) of the chunk's last event. */
  sequence: string;
  et: string;
}

/** Columns of audit_events the view passes on as stored (all text). */
const PLAIN_VIEW_COLUMNS = [
  'event_type',
  'operation',
  'request_id',
  'caller_account_id',
  'caller_access_key_id',
  'source_ip',
  'user_agent',
  'certificate_id',
  'certificate_arn',
  'target_account_id',
  'decision',
  'error_type',
  'error_message',
  'failing_rule_id',
  'policy_name',
  'policy_revision',
  'policy_hash',
  'trace_id',
  'span_id',
] as const satisfies readonly (keyof AuditEventsTable)[];

type PlainViewColumns = Pick<Selectable<AuditEventsTable>, (typeof PLAIN_VIEW_COLUMNS)[number]>;
/** 'ocsf' queries only: columns an OCSF line uses more than once, as JSON text (null for SQL NULL), see ocsfColumns. */
type OcsfEscapedColumns = { [K in (typeof OCSF_ESCAPED_COLUMNS)[number] as `${K}_json`]?: string | null };

/** The columns of a 'csv' or 'ocsf' query, which Postgres turns into lines (csv-format.ts, ocsf-format.ts). */
export interface ViewRow extends PlainViewColumns, OcsfEscapedColumns {
  /** Added by the walks (export-chunks.ts orderColumns). */
  sequence: string;
  et: string;
  chain_seq: string | null;
  prev_hash: string | null;
  hash: string | null;
  event_id: string;
  event_time_utc: string;
  /** Epoch milliseconds (truncated), as text. */
  event_time_ms: string;
  /** JSON array text, or null. */
  caller_roles_json: string | null;
  /** rule_outcomes as stored (json): OCSF lines copy it, CSV rows read the three members below from it. */
  rule_outcomes_json: string | null;
  /** Not selected: the CSV line reads these from rule_outcomes_json, parsed once (rule-outcomes-sql.ts). */
  decision_id: string | null;
  /** JSON array texts from rule_outcomes (not selected either). */
  rules_json: string;
  warnings_json: string;
  request_parameters_json: string | null;
  /** 'ocsf' queries only: the OCSF activity id. */
  activity_id?: number;
}

/** What an ordinary export query returns: chunks of finished lines with their keys. */
export type ExportRow = RecordChunk;
/**
 * 'record' (NDJSON) queries select the line; 'csv', 'csv-raw' and 'ocsf' ones the view columns, from which Postgres
 * writes theirs ('csv-raw': CSV without the formula guard of csv-format.ts).
 */
export type ExportShape = 'record' | 'csv' | 'csv-raw' | 'ocsf' | 'cloudtrail';

type Column = AliasedRawBuilder<string | null, string>;
const column = (expression: string, alias: string): Column => sql<string | null>`${sql.raw(expression)}`.as(alias);
const utc = (reference: string) => `to_char(${reference} AT TIME ZONE 'UTC', ${UTC_TIMESTAMP_FORMAT})`;

/** The chain link's key columns, or NULLs for a row exported as unsealed. */
function chain(sealed: boolean) {
  return sealed
    ? { seq: 'audit_chain.chain_seq::text', prev: 'audit_chain.prev_hash', hash: 'audit_chain.hash' }
    : { seq: 'null::text', prev: 'null::text', hash: 'null::text' };
}

/** For 'csv' and 'ocsf' queries: the chain link (the walks add sequence and event time). */
function viewKeyColumns(sealed: boolean) {
  const link = chain(sealed);
  return [column(link.seq, 'chain_seq'), column(link.prev, 'prev_hash'), column(link.hash, 'hash')];
}

/** For 'record' rows, before chunking: the line and the chain keys the chunk query aggregates. */
function recordColumns(sealed: boolean) {
  const link = chain(sealed);
  return [sql<string>`${sql.raw(recordLine(sealed))}`.as('line'), column(link.seq, 'chain_seq'), column(link.hash, 'hash')];
}

/** A nullable value as JSON: to_json escapes text; SQL NULL becomes null. */
const json = (expression: string) => `coalesce(to_json(${expression})::text, 'null')`;

/**
 * The record line as one text concatenation (balanced, src/db/sql-concat.ts): the canonical record as the verify
 * hashes it (record-sql.ts), then the chain fields. Measured ~30% cheaper for Postgres than json_build_object
 * (which re-inspects the type of each of its ~60 arguments on every row). sealedAt is present only on sealed
 * lines, as exportRecordLine writes it.
 */
function recordLine(sealed: boolean): string {
  const member = (key: string, value: string) => [`',"${key}":'`, value];
  return concatSql([
    ...recordMemberParts('audit_events'),
    ...member('chainSeq', sealed ? `coalesce('"' || audit_chain.chain_seq || '"', 'null')` : `'null'`),
    ...member('prevHash', sealed ? json('audit_chain.prev_hash') : `'null'`),
    ...member('hash', sealed ? json('audit_chain.hash') : `'null'`),
    sealed ? `coalesce(',"sealedAt":"' || ${utc('audit_chain.sealed_at')} || '"', '')` : `''`,
    `'}'`,
  ]);
}

function viewColumns(): Column[] {
  return [
    column('audit_events.event_id::text', 'event_id'),
    column(utc('audit_events.event_time'), 'event_time_utc'),
    column('floor(extract(epoch FROM audit_events.event_time) * 1000)::bigint::text', 'event_time_ms'),
    ...PLAIN_VIEW_COLUMNS.map((name) => column(`audit_events.${name}`, name)),
    column('to_json(audit_events.caller_roles)::text', 'caller_roles_json'),
    column('audit_events.rule_outcomes', 'rule_outcomes_json'),
    column('audit_events.request_parameters::text', 'request_parameters_json'),
  ];
}

/**
 * What only OCSF lines need, computed once per row here rather than in the line, where each is used twice or
 * three times (measured: the line expression is most of an OCSF export's cost in Postgres).
 */
function ocsfColumns(): Column[] {
  const escaped = (name: string) => column(`to_json(audit_events.${name})::text`, `${name}_json`);
  return [column(ocsfActivityIdSql('audit_events.operation'), 'activity_id'), ...OCSF_ESCAPED_COLUMNS.map(escaped)];
}

const OCSF_COLUMNS = {
  sealed: [...viewKeyColumns(true), ...viewColumns(), ...ocsfColumns()],
  unsealed: [...viewKeyColumns(false), ...viewColumns(), ...ocsfColumns()],
};

const COLUMNS = {
  record: { sealed: recordColumns(true), unsealed: recordColumns(false) },
  csv: { sealed: [...viewKeyColumns(true), ...viewColumns()], unsealed: [...viewKeyColumns(false), ...viewColumns()] },
  'csv-raw': { sealed: [...viewKeyColumns(true), ...viewColumns()], unsealed: [...viewKeyColumns(false), ...viewColumns()] },
  ocsf: OCSF_COLUMNS,
  // CloudTrail records use the OCSF columns: the activity (readOnly) and the same escaped values (cloudtrail-format.ts).
  cloudtrail: OCSF_COLUMNS,
};

/**
 * The select list of an export query; `sealed: false` when the query has no audit_chain to join. 'record'
 * queries are then wrapped by export-source.ts's chunking, which turns (line, seq, chain_seq, hash) into a
 * RecordChunk.
 */
export function exportColumns(shape: ExportShape, sealed = true) {
  const columns = COLUMNS[shape];
  return sealed ? columns.sealed : columns.unsealed;
}
