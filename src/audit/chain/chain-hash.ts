/** hash = SHA-256(ascii(prev_hash) || utf8(canonical JSON of the record)), lowercase hex (docs/audit.md section 3). */
import { createHash } from 'node:crypto';
import { AUDIT_RECORD_KEYS, type AuditRecord } from './audit-record.ts';
import { canonicalJson, canonicalJsonWithKeys } from '../canonical-json.ts';

const SORTED_RECORD_KEYS: readonly string[] = [...AUDIT_RECORD_KEYS].sort();

function canonicalRecord(record: AuditRecord): string {
  // A record read back from an export may carry unexpected keys: those take the general (sorting) path.
  const keys = Object.keys(record);
  const exact = keys.length === SORTED_RECORD_KEYS.length && SORTED_RECORD_KEYS.every((key) => Object.hasOwn(record, key));
  return exact ? canonicalJsonWithKeys(record as unknown as Record<string, unknown>, SORTED_RECORD_KEYS) : canonicalJson(record);
}

export function chainHash(prevHash: string, record: AuditRecord): string {
  return createHash('sha256').update(prevHash, 'latin1').update(canonicalRecord(record), 'utf8').digest('hex');
}
