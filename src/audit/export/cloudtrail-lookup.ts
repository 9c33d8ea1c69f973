/**
 * `certguard audit lookup`: the newest audit events matching CloudTrail-style lookup filters, as CloudTrail
 * records (cloudtrail-format.ts), newest first like `aws cloudtrail lookup-events`. Read straight from the
 * database (no service needed), one bounded query.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { type AuditFilters, auditFilterConditions } from '../query/audit-filters.ts';
import { orderColumns, runChunked } from './export-chunks.ts';
import { eventsFirst } from './export-source.ts';
import { ocsfActivityIdSql } from './ocsf-format.ts';

export interface CloudTrailLookup {
  /** ISO 8601, inclusive. */
  startTime?: string;
  /** ISO 8601, inclusive (as CloudTrail's EndTime). */
  endTime?: string;
  /** EventName. */
  operation?: string;
  /** EventId. */
  eventId?: string;
  /** ResourceName: a certificate id or ARN. */
  resourceName?: string;
  /** AccessKeyId (and Username, which is the access key id in certguard). */
  accessKeyId?: string;
  /** ReadOnly: the read operations (cloudtrail-format.ts readOnly). */
  readOnly?: boolean;
  maxResults: number;
}

/** The matching records as lines (no line ends), newest first. */
export async function lookupCloudTrailEvents(db: Database, lookup: CloudTrailLookup): Promise<string[]> {
  const filters: AuditFilters = {
    ...(lookup.startTime ? { from: lookup.startTime } : {}),
    ...(lookup.operation ? { operation: lookup.operation } : {}),
  };
  const resource = lookup.resourceName?.toLowerCase();
  const query = eventsFirst(db, 'cloudtrail')
    .select(orderColumns('audit_events.event_time', 'audit_events.sequence'))
    .where((eb) =>
      eb.and([
        ...auditFilterConditions(eb, filters),
        ...(lookup.endTime ? [sql<boolean>`audit_events.event_time <= ${lookup.endTime}::timestamptz`] : []),
        ...(lookup.eventId ? [sql<boolean>`audit_events.event_id::text = ${lookup.eventId.toLowerCase()}`] : []),
        ...(lookup.accessKeyId ? [eb('audit_events.caller_access_key_id', '=', lookup.accessKeyId)] : []),
        ...(resource ? [eb.or([eb('audit_events.certificate_id', '=', resource), eb('audit_events.certificate_arn', '=', lookup.resourceName!)])] : []),
        ...(lookup.readOnly === undefined ? [] : [sql<boolean>`(${sql.raw(ocsfActivityIdSql('audit_events.operation'))} = 2) = ${lookup.readOnly}`]),
      ]),
    )
    .orderBy('audit_events.event_time', 'desc')
    .orderBy('audit_events.sequence', 'desc')
    .limit(lookup.maxResults);
  // runChunked writes the lines oldest first (its chunks follow the walk keys): reversed, newest first.
  const chunks = await runChunked(db, 'cloudtrail', query);
  return chunks.flatMap((chunk) => chunk.lines.split('\n').filter((line) => line !== '')).reverse();
}
