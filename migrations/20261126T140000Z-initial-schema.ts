import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'char(12)', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The secret itself never reaches the database: only a fingerprint, so a credential change can be detected.
  await db.schema
    .createTable('credentials')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'char(12)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('secret_fingerprint', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // certguard's own certificate authority, which issues CreateKeysAndCertificate / CreateCertificateFromCsr
  // certificates. One row; its private key is as sensitive as the database credentials.
  await db.schema
    .createTable('certificate_authority')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    .addColumn('private_key_pem', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('certificates')
    .addColumn('certificate_id', 'char(64)', (c) => c.primaryKey())
    .addColumn('owner_account_id', 'char(12)', (c) => c.notNull())
    .addColumn('previous_owner_account_id', 'char(12)')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    .addColumn('ca_certificate_id', 'char(64)')
    .addColumn('certificate_mode', 'text', (c) => c.notNull().defaultTo('DEFAULT'))
    .addColumn('customer_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('generation_id', 'text', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('transfer_target_account_id', 'char(12)')
    .addColumn('transfer_message', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('transfer_date', 'timestamptz')
    .addColumn('accept_date', 'timestamptz')
    .addColumn('reject_date', 'timestamptz')
    .execute();
  await db.schema.createIndex('certificates_owner_created').on('certificates').columns(['owner_account_id', 'created_at', 'certificate_id']).execute();
  await db.schema
    .createIndex('certificates_transfer_target')
    .on('certificates')
    .column('transfer_target_account_id')
    .where('transfer_target_account_id', 'is not', null)
    .execute();

  await db.schema
    .createTable('iot_policies')
    .addColumn('account_id', 'char(12)', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('policy_document', 'text', (c) => c.notNull())
    .addColumn('default_version_id', 'text', (c) => c.notNull().defaultTo('1'))
    .addColumn('generation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_modified_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('iot_policies_pk', ['account_id', 'policy_name'])
    .execute();

  await db.schema
    .createTable('policy_attachments')
    .addColumn('account_id', 'char(12)', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('certificate_id', 'char(64)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('policy_attachments_pk', ['account_id', 'policy_name', 'target'])
    .addForeignKeyConstraint('policy_attachments_policy_fk', ['account_id', 'policy_name'], 'iot_policies', ['account_id', 'policy_name'])
    .execute();
  await db.schema.createIndex('policy_attachments_certificate').on('policy_attachments').column('certificate_id').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('sequence', 'bigserial', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('event_time', 'timestamptz', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('caller_account_id', 'char(12)')
    .addColumn('caller_access_key_id', 'text')
    .addColumn('caller_roles', sql`text[]`)
    .addColumn('source_ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('certificate_id', 'char(64)')
    .addColumn('certificate_arn', 'text')
    .addColumn('target_account_id', 'char(12)')
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('error_type', 'text')
    .addColumn('error_message', 'text')
    .addColumn('failing_rule_id', 'text')
    .addColumn('rule_outcomes', 'jsonb', (c) => c.notNull())
    .addColumn('policy_name', 'text')
    .addColumn('policy_revision', 'text')
    .addColumn('request_parameters', 'jsonb')
    .addColumn('trace_id', 'char(32)')
    .addColumn('span_id', 'char(16)')
    .execute();
  await db.schema.createIndex('audit_events_time').on('audit_events').column('event_time').execute();
  await db.schema.createIndex('audit_events_certificate').on('audit_events').columns(['certificate_id', 'sequence']).execute();

  // Append-only, enforced by the database: any UPDATE, DELETE or TRUNCATE of the audit table fails,
  // whoever the client is (a superuser has to drop the trigger first, which is itself visible in the DDL log).
  await sql`
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
