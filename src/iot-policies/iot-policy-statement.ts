/**
 * One statement of an IoT policy document, checked against the IAM policy grammar as AWS IoT Core uses it:
 * Effect, exactly one of Action/NotAction, exactly one of Resource/NotResource, optional Condition and Sid.
 * IoT policies have no Principal (the principal is whatever the policy is attached to), so it is an unknown key.
 */
import { MalformedPolicyError } from '../errors.ts';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/** `*`, `iot:*`, `iot:Connect`, `iot:Get*`: IAM service prefixes are case-insensitive, action names may hold wildcards. */
const IOT_ACTION = /^(?:\*|iot:[A-Za-z0-9*?]+)$/i;

type Json = Record<string, unknown>;

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringOrStringList(value: unknown): value is string | string[] {
  if (typeof value === 'string') return value.length > 0;
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0);
}

function isConditionValue(value: unknown): boolean {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(value) || (Array.isArray(value) && value.length > 0 && value.every(scalar));
}

/** The one of `names` the statement has; refuses none or both, since the two forms exclude each other. */
function exactlyOneOf(s: Json, where: string, names: readonly [string, string]): string {
  const present = names.filter((name) => s[name] !== undefined);
  if (present.length !== 1) {
    throw new MalformedPolicyError(`${where} must have exactly one of ${names.join(' or ')}${present.length > 1 ? ', not both' : ''}`);
  }
  const name = present[0]!;
  if (!isStringOrStringList(s[name])) throw new MalformedPolicyError(`${where}.${name} must be a non-empty string or a non-empty list of strings`);
  return name;
}

function checkActions(s: Json, where: string): void {
  const name = exactlyOneOf(s, where, ['Action', 'NotAction']);
  const actions = ([] as string[]).concat(s[name] as string | string[]);
  const wrong = actions.find((action) => !IOT_ACTION.test(action));
  if (wrong !== undefined) {
    throw new MalformedPolicyError(`${where}.${name}: "${wrong}" is not an AWS IoT action (expected iot:<Action>, iot:* or *)`);
  }
}

function checkCondition(condition: unknown, where: string): void {
  if (!isJsonObject(condition)) throw new MalformedPolicyError(`${where}.Condition must be an object of condition operators`);
  for (const [operator, block] of Object.entries(condition)) {
    if (!isJsonObject(block)) {
      throw new MalformedPolicyError(`${where}.Condition.${operator} must be an object mapping condition keys to values`);
    }
    for (const [key, value] of Object.entries(block)) {
      if (!isConditionValue(value)) {
        throw new MalformedPolicyError(`${where}.Condition.${operator}.${key} must be a string, number, boolean or a non-empty list of them`);
      }
    }
  }
}

export function checkStatement(statement: unknown, index: number): void {
  const where = `Statement[${index}]`;
  if (!isJsonObject(statement)) throw new MalformedPolicyError(`${where} must be an object`);
  const unknown = Object.keys(statement).find((key) => !STATEMENT_KEYS.has(key));
  if (unknown !== undefined) {
    throw new MalformedPolicyError(`${where} has an unknown key "${unknown}" (allowed: ${[...STATEMENT_KEYS].join(', ')})`);
  }
  if (statement.Sid !== undefined && typeof statement.Sid !== 'string') throw new MalformedPolicyError(`${where}.Sid must be a string`);
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
    throw new MalformedPolicyError(`${where}.Effect must be "Allow" or "Deny"`);
  }
  checkActions(statement, where);
  exactlyOneOf(statement, where, ['Resource', 'NotResource']);
  if (statement.Condition !== undefined) checkCondition(statement.Condition, where);
}
