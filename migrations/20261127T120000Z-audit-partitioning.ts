import { type Kysely, sql } from 'kysely';

/**
 * audit_events becomes a table range-partitioned by event_time, one partition per calendar month (UTC) plus a
 * DEFAULT partition, so that old months can be archived and detached (docs/audit.md section 7). Rows are copied
 * into the new table, which then takes the old one's name, sequence, indexes, triggers and grants.
 *
 * A partitioned table's keys must contain the partition key: the primary key becomes (sequence, event_time), and
 * event_id keeps a plain index (UUIDv4 written by certguard). Lookups by sequence alone would probe every
 * partition, so the chain and the sealing queue now carry the event_time of their row too, and join on both: the
 * executor then prunes to the one partition holding the row.
 *
 * The copy rewrites the whole table (~2 min per million rows): run it in a maintenance window. Partitions for the
 * months ahead are created by certguard itself (src/audit/retention/audit-partitions.ts) — this migration only
 * covers the existing rows up to two months from now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows: indexes } = await sql<{ definition: string }>`
    SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
    WHERE i.indrelid = 'audit_events'::regclass AND NOT i.indisprimary AND NOT i.indisunique
      AND pg_get_indexdef(i.indexrelid) NOT LIKE '%(event_time)'`.execute(db);

  await sql`CREATE TABLE audit_events_partitioned (LIKE audit_events INCLUDING DEFAULTS) PARTITION BY RANGE (event_time)`.execute(db);
  await sql`
    DO $$
    DECLARE
      -- Month starts as UTC wall-clock times: month arithmetic must not depend on the session's time zone.
      month timestamp := date_trunc('month', coalesce((SELECT min(event_time) FROM audit_events), now()) AT TIME ZONE 'UTC');
      last_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months';
    BEGIN
      WHILE month <= last_month LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_events_partitioned FOR VALUES FROM (%L) TO (%L)',
          'audit_events_' || to_char(month, 'YYYY_MM'), month AT TIME ZONE 'UTC', (month + interval '1 month') AT TIME ZONE 'UTC');
        month := month + interval '1 month';
      END LOOP;
    END
    $$`.execute(db);
  await sql`CREATE TABLE audit_events_default PARTITION OF audit_events_partitioned DEFAULT`.execute(db);
  // No trigger on the new table yet: the copy is not queued for sealing again.
  await sql`INSERT INTO audit_events_partitioned SELECT * FROM audit_events`.execute(db);

  await sql`ALTER SEQUENCE audit_events_sequence_seq OWNED BY NONE`.execute(db);
  await sql`DROP TABLE audit_events`.execute(db);
  await sql`ALTER TABLE audit_events_partitioned RENAME TO audit_events`.execute(db);
  await sql`ALTER SEQUENCE audit_events_sequence_seq OWNED BY audit_events.sequence`.execute(db);

  await sql`ALTER TABLE audit_events ADD CONSTRAINT audit_events_pkey PRIMARY KEY (sequence, event_time)`.execute(db);
  await sql`CREATE INDEX audit_events_event_id ON audit_events (event_id)`.execute(db);
  // The old table's other indexes, by their own definitions (the bare event_time one is covered by (event_time, sequence)).
  for (const { definition } of indexes) await sql.raw(definition).execute(db);

  await sql`CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION audit_events_enqueue_for_sealing() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_seal_queue (sequence, event_time) SELECT sequence, event_time FROM inserted_audit_events;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`ALTER TABLE audit_seal_queue ADD COLUMN event_time timestamptz`.execute(db);
  await sql`UPDATE audit_seal_queue q SET event_time = e.event_time FROM audit_events e WHERE e.sequence = q.sequence`.execute(db);
  await sql`CREATE TRIGGER audit_events_enqueue_for_sealing AFTER INSERT ON audit_events
            REFERENCING NEW TABLE AS inserted_audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_enqueue_for_sealing()`.execute(db);

  // The chain's lookup key for its row. Not hashed: an edit of it only makes the row unfindable, which verify reports.
  await sql`ALTER TABLE audit_chain ADD COLUMN event_time timestamptz`.execute(db);
  await sql`ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_no_update_delete`.execute(db);
  await sql`UPDATE audit_chain c SET event_time = e.event_time FROM audit_events e WHERE e.sequence = c.event_sequence`.execute(db);
  await sql`ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_no_update_delete`.execute(db);

  // Each partition: TRUNCATE refused (statement triggers are not cloned), and the application role's grants.
  await sql`
    DO $$
    DECLARE
      part regclass;
      has_role boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'certguard_app');
    BEGIN
      IF has_role THEN
        REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM certguard_app;
        GRANT SELECT, INSERT ON audit_events TO certguard_app;
      END IF;
      FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_events'::regclass LOOP
        EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()', part);
        IF has_role THEN
          EXECUTE format('REVOKE ALL ON %s FROM certguard_app', part);
          EXECUTE format('GRANT SELECT, INSERT ON %s TO certguard_app', part);
        END IF;
      END LOOP;
    END
    $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
