/** Kysely table types: the database as the application sees it. One interface per table. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** json/jsonb: read parsed, written as JSON text (the audit row's json columns: canonical text, docs/audit.md). */
type Json<T> = ColumnType<T, string, string>;

export interface AccountsTable {
  account_id: string;
  created_at: Generated<Date>;
}

export interface CredentialsTable {
  access_key_id: string;
  account_id: string;
  roles: string[];
  secret_fingerprint: string;
  updated_at: Generated<Date>;
}

export interface CertificateAuthorityTable {
  id: string;
  certificate_pem: string;
  private_key_pem: string;
  created_at: Generated<Date>;
}

export interface CertificatesTable {
  certificate_id: string;
  owner_account_id: string;
  previous_owner_account_id: string | null;
  status: string;
  certificate_pem: string;
  ca_certificate_id: string | null;
  certificate_mode: Generated<string>;
  customer_version: Generated<number>;
  /** Bumped by every change to the certificate or its attachments: the version a decision was made on. bigint, as text. */
  row_version: ColumnType<string, never, string>;
  generation_id: string;
  not_before: Timestamp;
  not_after: Timestamp;
  created_at: Timestamp;
  last_modified_at: Timestamp;
  transfer_target_account_id: string | null;
  transfer_message: string | null;
  reject_reason: string | null;
  transfer_date: Timestamp | null;
  accept_date: Timestamp | null;
  reject_date: Timestamp | null;
  /** ACCEPTED, REJECTED or CANCELLED once the last transfer settled; null while pending or if there was none. */
  transfer_outcome: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface IotPoliciesTable {
  account_id: string;
  policy_name: string;
  policy_document: string;
  default_version_id: Generated<string>;
  generation_id: string;
  created_at: Timestamp;
  last_modified_at: Timestamp;
}

export interface PolicyAttachmentsTable {
  account_id: string;
  policy_name: string;
  target: string;
  certificate_id: string | null;
  created_at: Generated<Date>;
}

export interface AuditEventsTable {
  sequence: ColumnType<string, never, never>;
  event_id: string;
  event_time: Timestamp;
  event_type: string;
  operation: string;
  request_id: string | null;
  caller_account_id: string | null;
  caller_access_key_id: string | null;
  caller_roles: string[] | null;
  source_ip: string | null;
  user_agent: string | null;
  certificate_id: string | null;
  certificate_arn: string | null;
  target_account_id: string | null;
  decision: string;
  error_type: string | null;
  error_message: string | null;
  failing_rule_id: string | null;
  rule_outcomes: Json<unknown>;
  policy_name: string | null;
  policy_revision: string | null;
  policy_hash: string | null;
  /** What the rules saw: request, caller, certificate facts, attached policies, time. Null for admin events. */
  policy_input: Json<unknown> | null;
  request_parameters: Json<unknown> | null;
  trace_id: string | null;
  span_id: string | null;
}

export interface PolicyBundlesTable {
  hash: string;
  name: string;
  revision: string;
  /** The bundle's files by name (manifest, params, rule files), as read. */
  files: Json<Record<string, string>>;
  first_activated_at: Generated<Date>;
}

export interface DB {
  accounts: AccountsTable;
  credentials: CredentialsTable;
  certificate_authority: CertificateAuthorityTable;
  certificates: CertificatesTable;
  iot_policies: IotPoliciesTable;
  policy_attachments: PolicyAttachmentsTable;
  audit_events: AuditEventsTable;
  policy_bundles: PolicyBundlesTable;
}
