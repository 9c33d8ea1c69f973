/**
 * OCSF export: one API Activity event (class_uid 6003, category_uid 6, schema 1.3.0) per line.
 * Required by the class and the base event: activity_id, category_uid, class_uid, type_uid, time, severity_id,
 * metadata {product, version}, actor, api {operation}, src_endpoint — all always present. Everything
 * certguard-specific without an OCSF attribute (rule outcomes, policy bundle, request parameters, chain link)
 * goes to `unmapped`.
 * - activity_id: Create/Read/Update/Delete per operation (OPERATION_ACTIVITY), Other (99) for anything else,
 *   e.g. PolicyActivated; type_uid = 600300 + activity_id. The security events (docs/security.md) stay API Activity:
 *   an AuthenticationFailed row is the refused call (its operation's activity, status Failure, status_code
 *   UnauthorizedException, actor = the claimed access key id), AuditTrailRead is Read, PolicyEvaluation,
 *   PolicyReloadRefused and AuthenticationFailureSummary are Other; the event type is in metadata.event_code.
 * - severity: an allowed decision is Informational (1), a denial Medium (3) — a guard refusing a change is what a
 *   security team reviews — and an ERROR Low (2): the service failed, nobody was refused on policy grounds.
 * - status: Success (1) for ALLOW, Failure (2) otherwise, with status_code = error type, status_detail = message.
 * - actor: the calling user (uid and credential_uid = access key id, account uid) or, for administrative events,
 *   certguard itself (app_name); src_endpoint: the caller's IP (IPv4-mapped IPv6 as plain IPv4), else certguard.
 * Postgres writes the lines (ocsfLineSql, run by export-chunks.ts) from the 'view' columns of export-row.ts;
 * the mapping tables below generate its CASE expressions, so they stay the one place the mapping is defined.
 */
import { concatSql } from '../../db/sql-concat.ts';
import { chainJsonSql, decisionFieldsSql, jsonSql as json } from './json-line-sql.ts';

export const OCSF_SCHEMA_VERSION = '1.3.0';
const API_ACTIVITY_CLASS_UID = 6003;
const APPLICATION_ACTIVITY_CATEGORY_UID = 6;

const ACTIVITY_NAMES = { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' } as const;
type ActivityId = keyof typeof ACTIVITY_NAMES;

/** CRUD class of every operation certguard audits; anything else (e.g. PolicyActivated) is Other (99). */
export const OPERATION_ACTIVITY: Readonly<Record<string, ActivityId>> = {
  CreateKeysAndCertificate: 1,
  CreateCertificateFromCsr: 1,
  RegisterCertificate: 1,
  RegisterCertificateWithoutCA: 1,
  CreatePolicy: 1,
  DescribeCertificate: 2,
  ListCertificates: 2,
  GetPolicy: 2,
  ListPolicies: 2,
  ListPrincipalPolicies: 2,
  ListAttachedPolicies: 2,
  ListTargetsForPolicy: 2,
  // Reads of the trail itself (AuditTrailRead rows; docs/security.md "What is audited").
  ListAuditEvents: 2,
  GetAuditEvent: 2,
  ExportAuditEvents: 2,
  VerifyAuditChain: 2,
  ListAuditCheckpoints: 2,
  UpdateCertificate: 3,
  TransferCertificate: 3,
  AcceptCertificateTransfer: 3,
  RejectCertificateTransfer: 3,
  CancelCertificateTransfer: 3,
  AttachPolicy: 3,
  DetachPolicy: 3,
  AttachPrincipalPolicy: 3,
  DetachPrincipalPolicy: 3,
  DeleteCertificate: 4,
  DeletePolicy: 4,
};

const SEVERITY = { ALLOW: [1, 'Informational'], DENY: [3, 'Medium'], ERROR: [2, 'Low'] } as const;

/** A SQL string literal of a constant (the tables above hold only letters and digits). */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
/** A nullable text value as JSON. */
/** `,"key":<value as JSON>` when the value is not null, else nothing. */
const optional = (key: string, value: string) => `coalesce(',"${key}":' || to_json(${value})::text, '')`;

function activitySql(operation: string, result: (id: ActivityId) => string): string {
  const cases = Object.entries(OPERATION_ACTIVITY).map(([name, id]) => `WHEN ${literal(name)} THEN ${result(id)}`);
  return `CASE ${operation} ${cases.join(' ')} ELSE ${result(99)} END`;
}

/** The severity id (as text) or name (as a JSON string) of a decision. */
function severitySql(decision: string, pick: 0 | 1): string {
  const value = (entry: readonly [number, string]) => literal(pick === 0 ? String(entry[0]) : `"${entry[1]}"`);
  return `CASE ${decision} WHEN 'ALLOW' THEN ${value(SEVERITY.ALLOW)} WHEN 'DENY' THEN ${value(SEVERITY.DENY)} ELSE ${value(SEVERITY.ERROR)} END`;
}

/** The activity id of an operation, as SQL: computed once per row by the query (export-row.ts ocsfColumns). */
export function ocsfActivityIdSql(operation: string): string {
  return activitySql(operation, (activity) => String(activity));
}

/** Columns an OCSF line uses more than once, escaped as JSON once per row by the query (`<column>_json`). */
export const OCSF_ESCAPED_COLUMNS = ['event_type', 'operation', 'caller_access_key_id', 'policy_name', 'policy_hash', 'decision'] as const;

// The line's parts, all text, in order; ocsfLineSql joins them (concatSql: balanced, src/db/sql-concat.ts).

function classification(t: string): string[] {
  const id = `${t}.activity_id`;
  const names = Object.entries(ACTIVITY_NAMES).map(([activity, text]) => `WHEN ${activity} THEN ${literal(text)}`);
  const name = `CASE ${id} ${names.join(' ')} END`;
  return [
    `'{"class_uid":${API_ACTIVITY_CLASS_UID},"class_name":"API Activity","category_uid":${APPLICATION_ACTIVITY_CATEGORY_UID}` +
      `,"category_name":"Application Activity","activity_id":'`,
    `${id}::text`,
    `',"activity_name":"'`,
    name,
    `'","type_uid":'`,
    `(${API_ACTIVITY_CLASS_UID * 100} + ${id})::text`,
    `',"type_name":"API Activity: '`,
    name,
    `'"'`,
  ];
}

function outcome(t: string): string[] {
  return [
    `',"time":'`,
    `${t}.event_time_ms`,
    `',"severity_id":'`,
    severitySql(`${t}.decision`, 0),
    `',"severity":'`,
    severitySql(`${t}.decision`, 1),
    `CASE WHEN ${t}.decision = 'ALLOW' THEN ',"status_id":1,"status":"Success"' ELSE ',"status_id":2,"status":"Failure"' END`,
    optional('status_code', `${t}.error_type`),
    optional('status_detail', `${t}.error_message`),
    `',"message":'`,
    `to_json(${t}.operation || ' ' || ${t}.decision || coalesce(' by rule ' || ${t}.failing_rule_id, ''))::text`,
  ];
}

function metadataAndApi(t: string): string[] {
  return [
    `',"metadata":{"version":"${OCSF_SCHEMA_VERSION}","uid":"'`,
    `${t}.event_id`,
    `'","product":{"name":"certguard","vendor_name":"certguard"},"log_name":"audit_events","event_code":'`,
    `${t}.event_type_json`,
    optional('correlation_uid', `${t}.trace_id`),
    `'}'`,
    `',"api":{"operation":'`,
    `${t}.operation_json`,
    `',"service":{"name":"iot"},"version":"2015-05-28"'`,
    `coalesce(',"request":{"uid":' || to_json(${t}.request_id)::text || '}', '')`,
    `'}'`,
  ];
}

/** A decision has a calling user; an administrative event was made by certguard itself. */
function actorAndEndpoints(t: string): string[] {
  const user =
    `concat_ws(',', '"uid":' || ${t}.caller_access_key_id_json || ',"credential_uid":' || ${t}.caller_access_key_id_json,` +
    ` '"account":{"uid":' || to_json(${t}.caller_account_id)::text || ',"type":"AWS Account","type_id":10}')`;
  // "::ffff:127.0.0.1" (how Node reports IPv4 on a dual-stack socket) is the IPv4 address 127.0.0.1.
  const ip = `CASE WHEN ${t}.source_ip LIKE '::ffff:%.%' THEN substr(${t}.source_ip, 8) ELSE ${t}.source_ip END`;
  return [
    `',"actor":'`,
    `CASE WHEN ${t}.caller_account_id IS NULL AND ${t}.caller_access_key_id IS NULL THEN '{"app_name":"certguard"}' ELSE '{"user":{' || ${user} || '}}' END`,
    `',"src_endpoint":'`,
    `CASE WHEN ${t}.source_ip IS NULL THEN '{"svc_name":"certguard"}' ELSE '{"ip":' || to_json(${ip})::text || '}' END`,
    `coalesce(',"http_request":{"user_agent":' || to_json(${t}.user_agent)::text || '}', '')`,
  ];
}

function resources(t: string): string[] {
  return [
    `',"resources":'`,
    `CASE WHEN ${t}.certificate_id IS NOT NULL THEN '[{"uid":' || to_json(${t}.certificate_id)::text || ',"type":"AWS::IoT::Certificate"'` +
      ` || coalesce(',"data":{"arn":' || to_json(${t}.certificate_arn)::text || '}', '') || '}]'` +
      ` WHEN ${t}.event_type = 'PolicyActivated' AND ${t}.policy_hash IS NOT NULL THEN '[{"uid":' || ${t}.policy_hash_json` +
      ` || ',"name":' || coalesce(${t}.policy_name_json, 'null') || ',"type":"certguard::PolicyBundle"}]'` +
      ` ELSE '[]' END`,
  ];
}

/**
 * certguard's own fields. The rule outcomes (decisionId, rules, warnings) are copied as stored, not taken apart:
 * parsing them per line measured a quarter of an OCSF line's cost in Postgres.
 */
function unmapped(t: string): string[] {
  const chain = chainJsonSql(t);
  return [
    `',"unmapped":{"eventType":'`,
    `${t}.event_type_json`,
    ...decisionFieldsSql(t),
    `'}'`,
    `',"targetAccountId":'`,
    json(`${t}.target_account_id`),
    `',"trace":{"traceId":'`,
    json(`${t}.trace_id`),
    `',"spanId":'`,
    json(`${t}.span_id`),
    `'}'`,
    `',"chain":'`,
    chain,
    `',"callerRoles":'`,
    `coalesce(${t}.caller_roles_json, '[]')`,
    `',"ruleOutcomes":'`,
    `coalesce(${t}.rule_outcomes_json::text, 'null')`,
    `',"requestParameters":'`,
    `coalesce(${t}.request_parameters_json, 'null')`,
    `'}}'`,
  ];
}

/** The SQL expression of one OCSF line (no line end) from the view columns of `t`. */
export function ocsfLineSql(t: string): string {
  return concatSql([...classification(t), ...outcome(t), ...metadataAndApi(t), ...actorAndEndpoints(t), ...resources(t), ...unmapped(t)]);
}
