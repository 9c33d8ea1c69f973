/**
 * The audit_events columns a record is made of, for Kysely selects joined as `e`: every column but event_time,
 * which is read as text (utcTimestamp) — parsing it into a Date as well would only cost time.
 */
export const RECORD_COLUMNS = [
  'e.sequence', 'e.event_id', 'e.event_type', 'e.operation', 'e.request_id', 'e.caller_account_id', 'e.caller_access_key_id',
  'e.caller_roles', 'e.source_ip', 'e.user_agent', 'e.certificate_id', 'e.certificate_arn', 'e.target_account_id', 'e.decision',
  'e.error_type', 'e.error_message', 'e.failing_rule_id', 'e.rule_outcomes', 'e.policy_name', 'e.policy_revision', 'e.policy_hash',
  'e.policy_input', 'e.request_parameters', 'e.trace_id', 'e.span_id',
] as const;
