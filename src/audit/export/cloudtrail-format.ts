/**
 * CloudTrail export: one CloudTrail-shaped record per line, so security teams' CloudTrail tooling (parsers, SIEM
 * rules, `lookup-events` habits) reads certguard's trail as it reads AWS IoT's own. The record fields are those of
 * the CloudTrail record reference (docs/audit.md "CloudTrail format" lists the mapping):
 * - eventVersion "1.08", eventSource iot.amazonaws.com, eventName = the operation, eventType AwsApiCall for a
 *   call (a decision with a caller), AwsServiceEvent for certguard's own administrative events.
 * - eventTime to the second, as CloudTrail writes it (the microseconds are in additionalEventData.eventTimeUtc).
 * - awsRegion: the region of the certificate ARN; an event without a certificate has no region in its row, and is
 *   written with CLOUDTRAIL_DEFAULT_REGION (CloudTrail's own choice for global events).
 * - userIdentity: IAMUser {accountId, accessKeyId} of the caller (never a secret), AWSService invokedBy certguard
 *   for administrative events; sourceIPAddress the caller's IP (IPv4-mapped IPv6 as plain IPv4), else certguard.
 * - readOnly: true for the read operations (the OCSF Read activity), false for everything that decides a change.
 * - errorCode / errorMessage: the AWS error type and message of a denial or error; absent for an allowed call.
 * - requestParameters: the request as stored (secrets masked when written); responseElements: the certificate an
 *   allowed call acted on, else null.
 * - additionalEventData: certguard's own — event type, sequence, decision, rule outcomes, bundle, chain link, trace.
 * Postgres writes the lines from the same columns as the OCSF lines (export-row.ts, shape 'cloudtrail').
 */
import { concatSql } from '../../db/sql-concat.ts';
import { chainJsonSql, decisionFieldsSql, jsonSql as json } from './json-line-sql.ts';

export const CLOUDTRAIL_EVENT_VERSION = '1.08';
export const CLOUDTRAIL_EVENT_SOURCE = 'iot.amazonaws.com';
export const CLOUDTRAIL_DEFAULT_REGION = 'us-east-1';

/** A nullable text value as JSON. */
/** `,"key":<value as JSON>` when the value is not null, else nothing. */
const optional = (key: string, value: string) => `coalesce(',"${key}":' || to_json(${value})::text, '')`;

function identity(t: string): string[] {
  // "::ffff:127.0.0.1" (how Node reports IPv4 on a dual-stack socket) is the IPv4 address 127.0.0.1.
  const ip = `CASE WHEN ${t}.source_ip LIKE '::ffff:%.%' THEN substr(${t}.source_ip, 8) ELSE ${t}.source_ip END`;
  const admin = `${t}.caller_account_id IS NULL AND ${t}.caller_access_key_id IS NULL`;
  const user =
    `'{"type":"IAMUser"' || ${optional('accountId', `${t}.caller_account_id`)}` +
    ` || coalesce(',"accessKeyId":' || ${t}.caller_access_key_id_json, '') || '}'`;
  return [
    `',"userIdentity":'`,
    `CASE WHEN ${admin} THEN '{"type":"AWSService","invokedBy":"certguard"}' ELSE ${user} END`,
    `',"eventTime":"'`,
    `substr(${t}.event_time_utc, 1, 19) || 'Z"'`,
    `',"eventSource":"${CLOUDTRAIL_EVENT_SOURCE}","eventName":'`,
    `${t}.operation_json`,
    `',"awsRegion":'`,
    `to_json(coalesce(nullif(split_part(${t}.certificate_arn, ':', 4), ''), '${CLOUDTRAIL_DEFAULT_REGION}'))::text`,
    `',"sourceIPAddress":'`,
    `to_json(coalesce(${ip}, 'certguard'))::text`,
    `',"userAgent":'`,
    `to_json(coalesce(${t}.user_agent, 'certguard'))::text`,
  ];
}

function outcome(t: string): string[] {
  const denied = `${t}.decision <> 'ALLOW'`;
  const response =
    `CASE WHEN ${t}.decision = 'ALLOW' AND ${t}.certificate_id IS NOT NULL THEN '{"certificateId":' || to_json(${t}.certificate_id)::text` +
    ` || ${optional('certificateArn', `${t}.certificate_arn`)} || '}' ELSE 'null' END`;
  return [
    `CASE WHEN ${denied} THEN ',"errorCode":' || to_json(coalesce(${t}.error_type, ${t}.decision))::text ELSE '' END`,
    `CASE WHEN ${denied} THEN ${optional('errorMessage', `${t}.error_message`)} ELSE '' END`,
    `',"requestParameters":'`,
    `coalesce(${t}.request_parameters_json, 'null')`,
    `',"responseElements":'`,
    response,
    optional('requestID', `${t}.request_id`),
    `',"eventID":"'`,
    `${t}.event_id`,
    `'","readOnly":'`,
    `CASE WHEN ${t}.activity_id = 2 THEN 'true' ELSE 'false' END`,
    `',"resources":'`,
    `CASE WHEN ${t}.certificate_arn IS NOT NULL THEN '[{"ARN":' || to_json(${t}.certificate_arn)::text` +
      ` || coalesce(',"accountId":' || to_json(coalesce(${t}.target_account_id, ${t}.caller_account_id))::text, '')` +
      ` || ',"type":"AWS::IoT::Certificate"}]' ELSE '[]' END`,
    `',"eventType":'`,
    `CASE WHEN ${t}.caller_account_id IS NULL AND ${t}.caller_access_key_id IS NULL THEN '"AwsServiceEvent"' ELSE '"AwsApiCall"' END`,
    `',"managementEvent":true,"eventCategory":"Management"'`,
    optional('recipientAccountId', `coalesce(${t}.target_account_id, ${t}.caller_account_id)`),
  ];
}

function additionalEventData(t: string): string[] {
  return [
    `',"additionalEventData":{"certguardEventType":'`,
    `${t}.event_type_json`,
    ...decisionFieldsSql(t),
    `'},"eventTimeUtc":"'`,
    `${t}.event_time_utc`,
    `'","chain":'`,
    chainJsonSql(t),
    `',"trace":{"traceId":'`,
    json(`${t}.trace_id`),
    `',"spanId":'`,
    json(`${t}.span_id`),
    `'},"callerRoles":'`,
    `coalesce(${t}.caller_roles_json, '[]')`,
    `',"ruleOutcomes":'`,
    `coalesce(${t}.rule_outcomes_json::text, 'null')`,
    `'}}'`,
  ];
}

/** The SQL expression of one CloudTrail record line (no line end) from the view and OCSF columns of `t`. */
export function cloudtrailLineSql(t: string): string {
  return concatSql([`'{"eventVersion":"${CLOUDTRAIL_EVENT_VERSION}"'`, ...identity(t), ...outcome(t), ...additionalEventData(t)]);
}
