/**
 * The fast path of the database verify (docs/audit.md section 6): Postgres rebuilds each record's canonical JSON
 * by concatenation, hashes it with its own sha256() and checks the links, for a whole range of chain positions at
 * once, returning one summary row. This works because the record's bytes are reproducible in SQL (record-sql.ts):
 * keys in fixed (sorted) order, strings escaped by to_json exactly as JSON.stringify does, and the three JSON values
 * stored as `json`, i.e. as the canonical text certguard wrote (migrations/20261127T110000Z-audit-canonical-json.ts).
 *
 * Sound by construction: a range is accepted only if every rebuilt text hashes to the stored hash, so the rows
 * still hold the bytes that were sealed. Anything else (a broken link, a missing row, a hash that differs, a
 * value stored in non-canonical form) only marks the range suspect; verify-database.ts then recomputes that
 * range in Node (chain-walk.ts), which decides and names the failure.
 */
import { sql } from 'kysely';
import type { ChainExecutor } from '../chain/chain-schema.ts';
import { type PlanSettings, withPlanSettings } from '../../db/plan-settings.ts';
import { concatSql } from '../../db/sql-concat.ts';
import { recordMemberParts } from '../chain/record-sql.ts';

/** What an entry's hash covers: its prev_hash, then the canonical record of audit row `e` (record-sql.ts), as SQL text. */
const HASHED_TEXT_SQL = concatSql(['c.prev_hash', ...recordMemberParts('e'), `'}'`]);

export interface RangeSummary {
  /** Entries found in the range; equal to its size when no position is missing. */
  entries: number;
  /** Entries whose row is missing, whose link to the entry before differs, or whose rebuilt hash differs. */
  suspect: number;
  firstPrevHash: string | null;
  lastHash: string | null;
  /** `chainSeq:hash` at the signed positions asked for that exist in the range. */
  signed: string[];
}

/** Summarizes chain positions (after, after + size]; `signedPositions` are checkpoint positions in that range. */
export function summarizeChainRange(db: ChainExecutor, after: bigint, size: number, signedPositions: readonly string[]): Promise<RangeSummary> {
  return withPlanSettings(db, RANGE_PLAN, (trx) => summarize(trx, after, size, signedPositions));
}

/**
 * The one good plan for a bounded range, whatever the statistics say (right after a bulk load there are none, and
 * the planner then hash-joined whole tables: measured 57k instead of ~90k rows/s): walk the chain's key range and
 * look each row up by its key, pruned to its partition. And no parallel plan: ranges already run side by side on
 * the pool's connections, so workers would only add start-up and a gather (measured ~10% slower on 2 cores).
 */
const RANGE_PLAN: PlanSettings = [
  ['enable_hashjoin', 'off'],
  ['enable_mergejoin', 'off'],
  ['max_parallel_workers_per_gather', '0'],
];

async function summarize(db: ChainExecutor, after: bigint, size: number, signedPositions: readonly string[]): Promise<RangeSummary> {
  const last = after + BigInt(size);
  // Each entry's link to the one before is checked with lag() over the chain's own narrow rows, before the join.
  const { rows } = await sql<{ entries: number; suspect: number; first_prev_hash: string | null; last_hash: string | null; signed: string[] | null }>`
    SELECT count(*)::int AS entries,
           count(*) FILTER (WHERE NOT r.sound)::int AS suspect,
           min(r.prev_hash) FILTER (WHERE r.chain_seq = ${String(after + 1n)}::bigint) AS first_prev_hash,
           min(r.hash) FILTER (WHERE r.chain_seq = ${String(last)}::bigint) AS last_hash,
           array_agg(r.chain_seq || ':' || r.hash) FILTER (WHERE r.chain_seq = ANY(${signedPositions}::bigint[])) AS signed
    FROM (
      SELECT c.chain_seq, c.prev_hash, c.hash,
             coalesce(e.sequence IS NOT NULL
               AND c.prev_hash = coalesce(c.hash_before, c.prev_hash)
               AND encode(sha256(convert_to(${sql.raw(HASHED_TEXT_SQL)}, 'UTF8')), 'hex') = c.hash, false) AS sound
      FROM (SELECT chain.*, lag(chain.hash) OVER (ORDER BY chain.chain_seq) AS hash_before FROM audit_chain chain
            WHERE chain.chain_seq > ${String(after)}::bigint AND chain.chain_seq <= ${String(last)}::bigint) c
        LEFT JOIN audit_events e ON e.sequence = c.event_sequence AND e.event_time = c.event_time
    ) r`.execute(db);
  const row = rows[0]!;
  return { entries: row.entries, suspect: row.suspect, firstPrevHash: row.first_prev_hash, lastHash: row.last_hash, signed: row.signed ?? [] };
}
