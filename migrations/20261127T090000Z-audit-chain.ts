import { type Kysely, sql } from 'kysely';

/**
 * The tamper-evident hash chain over audit_events (docs/audit.md). The decision's transaction only appends its
 * audit row; a statement trigger queues the new sequences in audit_seal_queue within that same transaction, and a
 * background sealer later chains committed rows in audit_chain (gap-free chain_seq, in sealing order) and signs
 * the head now and then in audit_checkpoints. Chain and checkpoints are append-only like audit_events.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_chain (
      chain_seq bigint PRIMARY KEY CHECK (chain_seq > 0),
      event_sequence bigint NOT NULL UNIQUE,
      prev_hash char(64) NOT NULL,
      hash char(64) NOT NULL,
      sealed_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
  // A work list, not evidence: the one audit table rows are deleted from (by the sealer, once chained).
  await sql`CREATE TABLE audit_seal_queue (sequence bigint PRIMARY KEY)`.execute(db);
  await sql`
    CREATE TABLE audit_checkpoints (
      checkpoint_id bigserial PRIMARY KEY,
      chain_seq bigint NOT NULL,
      hash char(64) NOT NULL,
      signed_at timestamptz NOT NULL,
      key_id text NOT NULL,
      public_key text NOT NULL,
      signature text NOT NULL,
      reason text NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX audit_checkpoints_chain_seq ON audit_checkpoints (chain_seq)`.execute(db);

  await sql`
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`.execute(db);
  for (const table of ['audit_chain', 'audit_checkpoints']) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_update_delete`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
              FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
              FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`.execute(db);
  }

  // One firing per INSERT statement (a transition table), so a bulk insert queues its rows in one go.
  await sql`
    CREATE FUNCTION audit_events_enqueue_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_seal_queue (sequence) SELECT sequence FROM inserted_audit_events;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`CREATE TRIGGER audit_events_enqueue_for_sealing AFTER INSERT ON audit_events
            REFERENCING NEW TABLE AS inserted_audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_enqueue_for_sealing()`.execute(db);
  // Rows written before this migration are sealed first.
  await sql`INSERT INTO audit_seal_queue (sequence) SELECT sequence FROM audit_events`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
