import { type Kysely, sql } from 'kysely';

/**
 * The audit row's JSON values (rule_outcomes, policy_input, request_parameters) become `json`, which keeps the
 * text exactly as written, and certguard writes them in canonical form (RFC 8785, the form the chain hash covers,
 * docs/audit.md section 3). Postgres can then rebuild the hashed bytes of a record by concatenation and hash them
 * itself, which is what makes `verify` fast (section 6); `jsonb` would print keys in its own order.
 * Rows already written are converted by a one-off canonicalizer below that is exact for the values certguard
 * writes (ASCII keys, integers, strings); a value it renders otherwise (a fraction such as 1.50, a key beyond
 * U+FFFF) still verifies, through the slower per-row recomputation in Node. ALTER ... TYPE rewrites the table
 * without firing row triggers: the append-only triggers stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION pg_temp.certguard_canonical_json(value jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
      CASE jsonb_typeof(value)
        WHEN 'object' THEN
          RETURN '{' || coalesce((SELECT string_agg(to_json(key)::text || ':' || pg_temp.certguard_canonical_json(member), ',' ORDER BY key COLLATE "C")
                                  FROM jsonb_each(value) AS m(key, member)), '') || '}';
        WHEN 'array' THEN
          RETURN '[' || coalesce((SELECT string_agg(pg_temp.certguard_canonical_json(item), ',' ORDER BY position)
                                  FROM jsonb_array_elements(value) WITH ORDINALITY AS a(item, position)), '') || ']';
        ELSE
          RETURN value::text;
      END CASE;
    END
    $$`.execute(db);
  await sql`
    ALTER TABLE audit_events
      ALTER COLUMN rule_outcomes TYPE json USING pg_temp.certguard_canonical_json(rule_outcomes)::json,
      ALTER COLUMN policy_input TYPE json USING pg_temp.certguard_canonical_json(policy_input)::json,
      ALTER COLUMN request_parameters TYPE json USING pg_temp.certguard_canonical_json(request_parameters)::json`.execute(db);
  await sql`DROP FUNCTION pg_temp.certguard_canonical_json(jsonb)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only: write a new migration instead');
}
