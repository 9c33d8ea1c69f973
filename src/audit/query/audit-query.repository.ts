/**
 * Reads of the audit trail for the query API: keyset pages on `sequence`, or on (event_time, sequence) when a time
 * filter is given (ascending or descending), each row joined with its chain link when the sealer has chained it.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { utcTimestamp } from '../chain/audit-record.ts';
import { withChainTables } from '../chain/chain-schema.ts';
import type { AuditEventRow } from './audit-event-view.ts';
import type { AuditOrder, AuditPosition } from './audit-cursor.ts';
import { type AuditFilters, auditFilterConditions } from './audit-filters.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface AuditPageQuery {
  filters: AuditFilters;
  order: AuditOrder;
  /** Continue after this position (exclusive), in `order`. */
  after?: AuditPosition;
  limit: number;
}

/**
 * With a time filter, pages are ordered by (event_time, sequence): a window of time is then one range of the
 * (event_time, sequence) index, wherever it lies. Ordered by sequence instead, "the newest 100 before last
 * Monday" had to skip every newer row first (350 ms at 1M rows, growing with the table).
 */
export function ordersByTime(filters: AuditFilters): boolean {
  return filters.from !== undefined || filters.to !== undefined;
}

/**
 * The selected columns, shared by the page and single-event reads. The chain link is a LATERAL lookup kept from
 * being flattened (OFFSET 0): one probe of the unique index on event_sequence per row returned. As a plain LEFT
 * JOIN, Postgres may pick a merge join that scans audit_chain from its start on every page — O(table) per page.
 */
export function selectAuditEvents(db: Executor) {
  return withChainTables(db)
    .selectFrom('audit_events')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('audit_chain as c')
          .select(['c.chain_seq', 'c.prev_hash', 'c.hash'])
          .whereRef('c.event_sequence', '=', 'audit_events.sequence')
          .offset(0)
          .as('audit_chain'),
      (join) => join.onTrue(),
    )
    .select([
      'audit_events.sequence',
      'audit_events.event_id',
      'audit_events.event_type',
      'audit_events.operation',
      'audit_events.request_id',
      'audit_events.caller_account_id',
      'audit_events.caller_access_key_id',
      'audit_events.caller_roles',
      'audit_events.source_ip',
      'audit_events.user_agent',
      'audit_events.certificate_id',
      'audit_events.certificate_arn',
      'audit_events.target_account_id',
      'audit_events.decision',
      'audit_events.error_type',
      'audit_events.error_message',
      'audit_events.failing_rule_id',
      'audit_events.rule_outcomes',
      'audit_events.policy_name',
      'audit_events.policy_revision',
      'audit_events.policy_hash',
      'audit_events.request_parameters',
      'audit_events.trace_id',
      'audit_events.span_id',
    ])
    .select(utcTimestamp('audit_events.event_time').as('event_time_iso'))
    .select(['audit_chain.chain_seq', 'audit_chain.prev_hash', 'audit_chain.hash']);
}

/** The page query, unexecuted: findAuditEventPage runs it, bench/audit-export.bench.ts EXPLAINs it. */
export function auditEventPageQuery(db: Executor, query: AuditPageQuery) {
  const { filters, order, after, limit } = query;
  const byTime = ordersByTime(filters);
  const before = order === 'desc' ? sql.raw('<') : sql.raw('>');
  const page = selectAuditEvents(db).where((eb) => {
    const conditions = auditFilterConditions(eb, filters);
    if (after && byTime) {
      conditions.push(
        sql<boolean>`(audit_events.event_time, audit_events.sequence) ${before} (${after.eventTime ?? ''}::timestamptz, ${after.sequence}::bigint)`,
      );
    } else if (after) {
      conditions.push(eb('audit_events.sequence', order === 'desc' ? '<' : '>', after.sequence));
    }
    return eb.and(conditions);
  });
  return (byTime ? page.orderBy('audit_events.event_time', order) : page).orderBy('audit_events.sequence', order).limit(limit);
}

export async function findAuditEventPage(db: Executor, query: AuditPageQuery): Promise<AuditEventRow[]> {
  return auditEventPageQuery(db, query).execute();
}

export async function findAuditEventById(db: Executor, eventId: string): Promise<AuditEventRow | undefined> {
  return selectAuditEvents(db).where('audit_events.event_id', '=', eventId).executeTakeFirst();
}
