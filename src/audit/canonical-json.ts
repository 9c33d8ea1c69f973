/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the values an audit record holds: no whitespace, object keys
 * sorted by UTF-16 code units (JavaScript's default sort), strings and numbers serialized as ECMAScript's
 * JSON.stringify does. Any tool that implements JCS reproduces the bytes, so a chain hash can be recomputed
 * outside certguard (docs/audit.md section 3). Written as plain loops with string concatenation: verify runs
 * it on every record of the chain, and this form is ~1.4× faster than map/join.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return primitive(value);
  if (Array.isArray(value)) return array(value);
  if (value instanceof Date) throw new TypeError('canonical JSON: render timestamps as strings (docs/audit.md), not Date');
  return object(value as Record<string, unknown>);
}

function array(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    const item = items[i];
    out += item === undefined ? 'null' : canonicalJson(item);
  }
  return `${out}]`;
}

function object(members: Record<string, unknown>, sortedKeys?: readonly string[]): string {
  const keys = sortedKeys ?? Object.keys(members).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = members[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * canonicalJson of an object whose keys are known to be exactly `sortedKeys` (already in JCS order): skips one
 * sort per call, for the audit record's fixed top-level keys.
 */
export function canonicalJsonWithKeys(members: Record<string, unknown>, sortedKeys: readonly string[]): string {
  return object(members, sortedKeys);
}

/**
 * The canonical JSON text of a value as it will be stored: what canonicalJson gives for the value as
 * JSON.stringify sees it (Dates become ISO strings through toJSON, undefined members disappear, NaN and Infinity
 * become null), as a driver would send it. The audit row's json columns hold exactly this text, so Postgres can
 * rebuild a record's hashed bytes by concatenation (docs/audit.md section 6). One pass: every decision stores
 * three of these, and the former JSON.stringify + JSON.parse + canonicalJson took ~5% of a decision's CPU.
 * test/unit/canonical-json-text.test.ts checks it equals that composition.
 */
export function canonicalJsonText(value: unknown): string {
  const text = storedText(value, '');
  if (text === undefined) throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  return text;
}

/** JSON.stringify's view of `value` (the member `key` of its parent), canonicalized; undefined where it is omitted. */
function storedText(input: unknown, key: string): string | undefined {
  let value = input;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonical JSON: render int8 values as decimal strings, not BigInt');
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? storedArray(value) : storedObject(value as Record<string, unknown>);
    default:
      // undefined, functions and symbols: left out of objects, null in arrays, as JSON.stringify does.
      return undefined;
  }
}

function storedArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += storedText(items[i], String(i)) ?? 'null';
  }
  return `${out}]`;
}

function storedObject(members: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(members).sort()) {
    const member = storedText(members[key], key);
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${member}`;
  }
  return `${out}}`;
}

function primitive(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for NaN or Infinity');
  if (typeof value === 'bigint') throw new TypeError('canonical JSON: render int8 values as decimal strings, not BigInt');
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  }
  return JSON.stringify(value);
}
