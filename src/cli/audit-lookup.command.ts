/**
 * `certguard audit lookup`: the audit trail as `aws cloudtrail lookup-events` shows CloudTrail — the newest events
 * matching the filters, newest first, one CloudTrail record per line (NDJSON, the records of
 * GET /v1/audit/export?format=cloudtrail). Reads the database directly, like `audit verify`: no service, no key.
 */
import { lookupCloudTrailEvents } from '../audit/export/cloudtrail-lookup.ts';
import type { CloudTrailLookup } from '../audit/export/cloudtrail-lookup.ts';
import { loadConfig } from '../config.ts';
import { openExistingDatabase } from '../db/existing-database.ts';
import { EXIT_CANNOT_RUN, EXIT_OK, parseCommand, UsageError, usageError } from './cli-args.ts';

const DEFAULT_MAX_RESULTS = 50;
const MAX_RESULTS_LIMIT = 10_000;

/** CloudTrail's lookup attribute keys certguard answers, and the lookup member each sets. */
const ATTRIBUTE_KEYS = {
  EventName: 'operation',
  EventId: 'eventId',
  ResourceName: 'resourceName',
  AccessKeyId: 'accessKeyId',
  Username: 'accessKeyId',
  ReadOnly: 'readOnly',
  EventSource: 'eventSource',
} as const;

export const AUDIT_LOOKUP_USAGE = `usage: certguard audit lookup [--start-time <ISO 8601>] [--end-time <ISO 8601>]
                              [--lookup-attributes <Key>=<Value>]... [--max-results <n>]

  The newest audit events matching every filter, newest first, one CloudTrail record per line (NDJSON), from the
  database of DATABASE_URL (or the embedded one in CERTGUARD_DATA_DIR; stop the service first).
  --start-time, --end-time   event time bounds, both inclusive
  --lookup-attributes        Key=Value, or CloudTrail's AttributeKey=<Key>,AttributeValue=<Value>; repeatable (all
                             must match). Keys: EventName (the operation), EventId, ResourceName (a certificate id
                             or ARN), AccessKeyId, Username (the caller's access key id), ReadOnly (true|false),
                             EventSource (iot.amazonaws.com matches every event)
  --max-results <n>          at most n records (default ${DEFAULT_MAX_RESULTS}, at most ${MAX_RESULTS_LIMIT})
  exit status: 0 done (no match prints nothing); 2 usage error; 3 cannot run (no database, unreachable, not migrated)`;

/** `EventName=X` or `AttributeKey=EventName,AttributeValue=X`. */
function attribute(text: string): [keyof typeof ATTRIBUTE_KEYS, string] {
  const long = /^AttributeKey=([^,]+),AttributeValue=(.*)$/.exec(text);
  const [key, value] = long ? [long[1]!, long[2]!] : [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)];
  if (!text.includes('=') || value === '') throw new UsageError(`--lookup-attributes "${text}": expected Key=Value`);
  if (!(key in ATTRIBUTE_KEYS)) throw new UsageError(`--lookup-attributes: unknown key "${key}" (one of ${Object.keys(ATTRIBUTE_KEYS).join(', ')})`);
  return [key as keyof typeof ATTRIBUTE_KEYS, value];
}

function time(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value)) || value.startsWith('0000')) {
    throw new UsageError(`${name} "${value}" is not an ISO 8601 date-time`);
  }
  return value;
}

/** The lookup the options ask for; undefined when it can match nothing (EventSource of another service). */
function lookupOf(values: {
  'start-time'?: string;
  'end-time'?: string;
  'lookup-attributes'?: string[];
  'max-results'?: string;
}): CloudTrailLookup | undefined {
  const maxResults = values['max-results'] === undefined ? DEFAULT_MAX_RESULTS : Number(values['max-results']);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
    throw new UsageError(`--max-results must be an integer from 1 to ${MAX_RESULTS_LIMIT}`);
  }
  const lookup: CloudTrailLookup = { maxResults };
  const start = time('--start-time', values['start-time']);
  const end = time('--end-time', values['end-time']);
  if (start) lookup.startTime = start;
  if (end) lookup.endTime = end;
  if (start && end && Date.parse(start) > Date.parse(end)) throw new UsageError('--start-time must not be later than --end-time');
  let matchesNothing = false;
  for (const text of values['lookup-attributes'] ?? []) {
    const [key, value] = attribute(text);
    const member = ATTRIBUTE_KEYS[key];
    if (member === 'eventSource') {
      matchesNothing ||= value !== 'iot.amazonaws.com';
    } else if (member === 'readOnly') {
      if (value !== 'true' && value !== 'false') throw new UsageError('--lookup-attributes ReadOnly=true|false');
      lookup.readOnly = value === 'true';
    } else {
      lookup[member] = value;
    }
  }
  return matchesNothing ? undefined : lookup;
}

export async function runAuditLookup(args: string[]): Promise<number> {
  const parsed = parseCommand(args, AUDIT_LOOKUP_USAGE, {
    'start-time': { type: 'string' },
    'end-time': { type: 'string' },
    'lookup-attributes': { type: 'string', multiple: true },
    'max-results': { type: 'string' },
  });
  if (typeof parsed === 'number') return parsed;
  let lookup: CloudTrailLookup | undefined;
  try {
    lookup = lookupOf(parsed.values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(error.message, AUDIT_LOOKUP_USAGE);
  }
  let lines: string[];
  try {
    const database = await openExistingDatabase(loadConfig(), ['audit_events', 'audit_chain']);
    try {
      lines = lookup === undefined ? [] : await lookupCloudTrailEvents(database.db, lookup);
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(`certguard audit lookup cannot run: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_CANNOT_RUN;
  }
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
