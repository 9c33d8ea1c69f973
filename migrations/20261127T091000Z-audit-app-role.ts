import { type Kysely, sql } from 'kysely';

/**
 * Append-only by privilege too (docs/audit.md "Append-only also by role"): the certguard_app role may read and
 * change the application's tables but only INSERT into and SELECT from the audit tables. Where the migrating
 * user cannot create roles (a managed database without CREATEROLE), it is skipped with a notice rather than
 * failing the migration: the triggers still refuse UPDATE/DELETE/TRUNCATE for everyone.
 * Roles are cluster-wide: a role that already exists (another database of the cluster) is reused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'certguard_app') THEN
        BEGIN
          CREATE ROLE certguard_app NOLOGIN;
        EXCEPTION
          WHEN duplicate_object OR unique_violation THEN NULL;  -- created concurrently for another database
          WHEN insufficient_privilege THEN
            RAISE NOTICE 'certguard_app not created (no CREATEROLE): grant privileges by hand, see docs/audit.md';
            RETURN;
        END;
      END IF;
      GRANT USAGE ON SCHEMA public TO certguard_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO certguard_app;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO certguard_app;
      REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events, audit_chain, audit_checkpoints FROM certguard_app;
      -- Tables of later migrations get the ordinary grants; a later audit table must revoke like the line above.
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO certguard_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO certguard_app;
    END
    $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
