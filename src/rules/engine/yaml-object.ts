import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import { isStringScalar, type YamlFile } from './yaml-source.ts';

/**
 * A YAML mapping of a bundle file whose keys are a closed set: an unknown key is an error (usually a typo that
 * would otherwise silently change nothing). Every error points at the offending node.
 */
export class YamlObject {
  private readonly values = new Map<string, unknown>();
  /** Set once a rule's id is known, so later errors name the rule. */
  ruleId?: string;

  private constructor(
    readonly file: YamlFile,
    readonly node: YAMLMap,
    allowedKeys: readonly string[],
  ) {
    // Name the rule in errors about any of its keys, even ones that come before its id is validated.
    const id: unknown = allowedKeys.includes('id') ? node.get('id') : undefined;
    if (typeof id === 'string') this.ruleId = id;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !allowedKeys.includes(key)) {
        throw this.error(`unknown key ${JSON.stringify(key ?? '?')} (allowed: ${allowedKeys.join(', ')})`, pair.key);
      }
      this.values.set(key, pair.value);
    }
  }

  /** Reads `node` as a mapping; `what` names it in the error when it is not one. */
  static from(file: YamlFile, node: unknown, what: string, allowedKeys: readonly string[]): YamlObject {
    if (!isMap(node)) throw file.error(`${what} must be a YAML mapping`, node);
    return new YamlObject(file, node, allowedKeys);
  }

  has(key: string): boolean {
    const value = this.values.get(key);
    return value !== undefined && !(isScalar(value) && value.value === null);
  }

  /** The value node of `key` (undefined when absent). */
  raw(key: string): unknown {
    return this.values.get(key);
  }

  requiredString(key: string): Scalar<string> {
    if (!this.has(key)) throw this.error(`missing required key "${key}"`);
    return this.optionalString(key)!;
  }

  optionalString(key: string): Scalar<string> | undefined {
    if (!this.has(key)) return undefined;
    const value = this.values.get(key);
    if (!isStringScalar(value)) throw this.error(`${key}: must be a string (quote it if YAML reads it as another type)`, value);
    return value;
  }

  error(detail: string, node: unknown = this.node): Error {
    return this.file.error(detail, node, this.ruleId);
  }
}
