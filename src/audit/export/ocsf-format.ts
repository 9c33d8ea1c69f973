/**
 * OCSF export: one API Activity event (class_uid 6003, category_uid 6, schema 1.3.0) per line.
 * Required by the class and the base event: activity_id, category_uid, class_uid, type_uid, time, severity_id,
 * metadata {product, version}, actor, api {operation}, src_endpoint. Everything certguard-specific without an
 * OCSF attribute (rule outcomes, policy bundle, request parameters, chain link) goes to `unmapped`.
 * Severity: an allowed decision is Informational (1), a denial Medium (3) — a guard refusing a change is what a
 * security team reviews — and an ERROR Low (2): the service failed, nobody was refused on policy grounds.
 */
import type { ViewRow } from './export-row.ts';

export const OCSF_SCHEMA_VERSION = '1.3.0';
const API_ACTIVITY_CLASS_UID = 6003;
const APPLICATION_ACTIVITY_CATEGORY_UID = 6;

const ACTIVITY_NAMES = { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' } as const;
type ActivityId = keyof typeof ACTIVITY_NAMES;

/** CRUD class of every operation certguard audits; anything else (e.g. PolicyActivated) is Other (99). */
const OPERATION_ACTIVITY: Readonly<Record<string, ActivityId>> = {
  CreateKeysAndCertificate: 1, CreateCertificateFromCsr: 1, RegisterCertificate: 1, RegisterCertificateWithoutCA: 1,
  CreatePolicy: 1,
  DescribeCertificate: 2, ListCertificates: 2, GetPolicy: 2, ListPolicies: 2, ListPrincipalPolicies: 2,
  ListAttachedPolicies: 2, ListTargetsForPolicy: 2,
  UpdateCertificate: 3, TransferCertificate: 3, AcceptCertificateTransfer: 3, RejectCertificateTransfer: 3,
  CancelCertificateTransfer: 3, AttachPolicy: 3, DetachPolicy: 3, AttachPrincipalPolicy: 3, DetachPrincipalPolicy: 3,
  DeleteCertificate: 4, DeletePolicy: 4,
};

const SEVERITY = { ALLOW: [1, 'Informational'], DENY: [3, 'Medium'], ERROR: [2, 'Low'] } as const;

export function ocsfActivityId(operation: string): ActivityId {
  return OPERATION_ACTIVITY[operation] ?? 99;
}

/** "::ffff:127.0.0.1" (how Node reports IPv4 on a dual-stack socket) is the IPv4 address 127.0.0.1. */
function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}

/** A decision has a calling user; an administrative event was made by certguard itself. */
function actorOf(row: ViewRow): Record<string, unknown> {
  const { caller_account_id: accountId, caller_access_key_id: accessKeyId } = row;
  if (accountId === null && accessKeyId === null) return { app_name: 'certguard' };
  return {
    user: {
      ...(accessKeyId !== null ? { uid: accessKeyId, credential_uid: accessKeyId } : {}),
      ...(accountId !== null ? { account: { uid: accountId, type: 'AWS Account', type_id: 10 } } : {}),
    },
  };
}

function resourcesOf(row: ViewRow): Array<Record<string, unknown>> {
  if (row.certificate_id !== null) {
    return [{ uid: row.certificate_id, type: 'AWS::IoT::Certificate', ...(row.certificate_arn !== null ? { data: { arn: row.certificate_arn } } : {}) }];
  }
  if (row.event_type === 'PolicyActivated' && row.policy_hash !== null) {
    return [{ uid: row.policy_hash, name: row.policy_name, type: 'certguard::PolicyBundle' }];
  }
  return [];
}

/** `unmapped`: certguard's own fields. The JSON values (rules, parameters...) are spliced in as Postgres sent them. */
function unmappedJson(row: ViewRow): string {
  const scalars = JSON.stringify({
    eventType: row.event_type,
    sequence: row.sequence,
    decision: row.decision,
    decisionId: row.decision_id ?? null,
    failingRuleId: row.failing_rule_id,
    policy: { name: row.policy_name, revision: row.policy_revision, hash: row.policy_hash },
    targetAccountId: row.target_account_id,
    trace: { traceId: row.trace_id, spanId: row.span_id },
    chain: row.chain_seq === null ? null : { chainSeq: row.chain_seq, prevHash: row.prev_hash, hash: row.hash },
  });
  return `${scalars.slice(0, -1)},"callerRoles":${row.caller_roles_json ?? '[]'},"rules":${row.rules_json ?? '[]'}`
    + `,"warnings":${row.warnings_json ?? '[]'},"requestParameters":${row.request_parameters_json ?? 'null'}}`;
}

export function toOcsfApiActivity(row: ViewRow): Record<string, unknown> {
  const activityId = ocsfActivityId(row.operation);
  const [severityId, severity] = SEVERITY[row.decision as keyof typeof SEVERITY] ?? SEVERITY.ERROR;
  const success = row.decision === 'ALLOW';
  return {
    class_uid: API_ACTIVITY_CLASS_UID,
    class_name: 'API Activity',
    category_uid: APPLICATION_ACTIVITY_CATEGORY_UID,
    category_name: 'Application Activity',
    activity_id: activityId,
    activity_name: ACTIVITY_NAMES[activityId],
    type_uid: API_ACTIVITY_CLASS_UID * 100 + activityId,
    type_name: `API Activity: ${ACTIVITY_NAMES[activityId]}`,
    time: Date.parse(row.event_time_utc),
    severity_id: severityId,
    severity,
    status_id: success ? 1 : 2,
    status: success ? 'Success' : 'Failure',
    ...(row.error_type !== null ? { status_code: row.error_type } : {}),
    ...(row.error_message !== null ? { status_detail: row.error_message } : {}),
    message: `${row.operation} ${row.decision}${row.failing_rule_id !== null ? ` by rule ${row.failing_rule_id}` : ''}`,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      uid: row.event_id,
      product: { name: 'certguard', vendor_name: 'certguard' },
      log_name: 'audit_events',
      event_code: row.event_type,
      ...(row.trace_id !== null ? { correlation_uid: row.trace_id } : {}),
    },
    api: {
      operation: row.operation,
      service: { name: 'iot' },
      version: '2015-05-28',
      ...(row.request_id !== null ? { request: { uid: row.request_id } } : {}),
    },
    actor: actorOf(row),
    src_endpoint: row.source_ip !== null ? { ip: plainIp(row.source_ip) } : { svc_name: 'certguard' },
    ...(row.user_agent !== null ? { http_request: { user_agent: row.user_agent } } : {}),
    resources: resourcesOf(row),
  };
}

export function ocsfLine(row: ViewRow): string {
  return `${JSON.stringify(toOcsfApiActivity(row)).slice(0, -1)},"unmapped":${unmappedJson(row)}}\n`;
}
