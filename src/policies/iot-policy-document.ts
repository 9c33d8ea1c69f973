/**
 * Checks that a policy document is a JSON IoT policy: an object with a Statement list whose entries have an
 * Effect of Allow or Deny, an Action and a Resource. Anything else is MalformedPolicyException, as in AWS.
 */
import { MalformedPolicyError } from '../http/errors.ts';

const MAX_DOCUMENT_CHARACTERS = 2048; // AWS counts the document without whitespace

function stringOrStringList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
}

function checkStatement(statement: unknown, index: number): void {
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) {
    throw new MalformedPolicyError(`Statement[${index}] must be an object`);
  }
  const s = statement as Record<string, unknown>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    throw new MalformedPolicyError(`Statement[${index}].Effect must be "Allow" or "Deny"`);
  }
  if (!stringOrStringList(s.Action)) throw new MalformedPolicyError(`Statement[${index}].Action must be a string or a list of strings`);
  if (!stringOrStringList(s.Resource)) throw new MalformedPolicyError(`Statement[${index}].Resource must be a string or a list of strings`);
}

export function validatePolicyDocument(document: string): void {
  if (document.replace(/\s+/g, '').length > MAX_DOCUMENT_CHARACTERS) {
    throw new MalformedPolicyError(`The policy document exceeds ${MAX_DOCUMENT_CHARACTERS} characters (whitespace excluded)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new MalformedPolicyError('The policy document is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedPolicyError('The policy document must be a JSON object');
  }
  const { Version, Statement } = parsed as Record<string, unknown>;
  if (Version !== undefined && Version !== '2012-10-17') {
    throw new MalformedPolicyError('The policy document Version must be "2012-10-17"');
  }
  const statements = Array.isArray(Statement) ? Statement : Statement !== undefined ? [Statement] : [];
  if (statements.length === 0) throw new MalformedPolicyError('The policy document must have at least one Statement');
  statements.forEach(checkStatement);
}
