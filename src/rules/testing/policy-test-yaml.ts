/**
 * Typed reads of policy test case files on top of YamlObject. Every problem is a PolicyLoadError at the offending
 * node, like the bundle loader's, so a typo in a case points at its line and column.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { YamlObject } from '../engine/yaml-object.ts';
import { isStringScalar } from '../engine/yaml-source.ts';

// RFC 3339: date, 'T', time, optional fraction, and a zone (Z or an offset). Date.parse alone accepts far more.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True when `key` is written with an explicit null (`certificate: null` / `certificate: ~`). */
export function isExplicitNull(object: YamlObject, key: string): boolean {
  const node = object.raw(key);
  return isScalar(node) && node.value === null;
}

export function optionalBool(object: YamlObject, key: string, what = key): boolean | undefined {
  if (!object.has(key)) return undefined;
  const node = object.raw(key);
  if (!isScalar(node) || typeof node.value !== 'boolean') throw object.error(`${what}: must be true or false`, node);
  return node.value;
}

export function requiredBool(object: YamlObject, key: string, what = key): boolean {
  const value = optionalBool(object, key, what);
  if (value === undefined) throw object.error(`missing required key "${key}"`);
  return value;
}

export function optionalText(object: YamlObject, key: string, what = key): string | undefined {
  if (!object.has(key)) return undefined;
  const node = object.raw(key);
  if (!isStringScalar(node)) throw object.error(`${what}: must be a string (quote it if YAML reads it as another type)`, node);
  return node.value;
}

export function optionalStringList(object: YamlObject, key: string, what = key): string[] | undefined {
  if (!object.has(key)) return undefined;
  const node = object.raw(key);
  if (!isSeq(node)) throw object.error(`${what}: must be a YAML list of strings`, node);
  return node.items.map((item) => {
    if (!isStringScalar(item)) throw object.error(`${what}: every item must be a string (quote it if YAML reads it as another type)`, item);
    return item.value;
  });
}

export function optionalTimestamp(object: YamlObject, key: string, what = key): Date | undefined {
  const text = optionalText(object, key, what);
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (!RFC_3339.test(text) || Number.isNaN(time)) {
    throw object.error(`${what}: "${text}" is not an RFC 3339 timestamp (e.g. 2026-01-01T00:00:00Z)`, object.raw(key));
  }
  return new Date(time);
}

/** A nested closed-key mapping, or undefined when the key is absent or null. */
export function optionalObject(object: YamlObject, key: string, allowedKeys: readonly string[], what = key): YamlObject | undefined {
  if (!object.has(key)) return undefined;
  return YamlObject.from(object.file, object.raw(key), what, allowedKeys);
}

/** A mapping whose keys are free (request fields, rule ids, params), as key -> value node pairs. */
export function openMapping(object: YamlObject, key: string, what = key): Array<{ key: string; keyNode: unknown; value: unknown }> | undefined {
  if (!object.has(key)) return undefined;
  const node = object.raw(key);
  if (!isMap(node)) throw object.error(`${what} must be a YAML mapping`, node);
  return (node as YAMLMap).items.map((pair) => {
    if (!isScalar(pair.key)) throw object.error(`${what}: keys must be plain strings`, pair.key);
    return { key: String(pair.key.value), keyNode: pair.key, value: pair.value };
  });
}

/** A YAML node as plain JavaScript, integers as BigInt (they were parsed that way), as params.yaml reads. */
export function plainValue(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map(plainValue);
  if (isMap(node)) {
    return Object.fromEntries(node.items.map((pair) => [String(isScalar(pair.key) ? pair.key.value : pair.key), plainValue(pair.value)]));
  }
  return node === undefined ? null : node;
}
