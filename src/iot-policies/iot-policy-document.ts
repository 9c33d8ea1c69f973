/**
 * Validates an AWS IoT policy document before it is stored: a JSON object with an optional Version
 * ("2012-10-17"; AWS accepts a document without one), an optional Id, and a Statement that is one statement
 * object or a non-empty list of them (each checked by iot-policy-statement.ts). Anything else is
 * MalformedPolicyException with a message that says what is wrong, as in AWS.
 */
import { MalformedPolicyError } from '../errors.ts';
import { checkStatement, isJsonObject } from './iot-policy-statement.ts';

/** AWS IoT's limit: 2048 characters, counted without whitespace. */
export const MAX_POLICY_DOCUMENT_CHARACTERS = 2048;

export const POLICY_LANGUAGE_VERSION = '2012-10-17';

const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);

function parseJson(document: string): unknown {
  try {
    return JSON.parse(document);
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new MalformedPolicyError(`The policy document is not valid JSON${detail}`);
  }
}

function statementsOf(statement: unknown): unknown[] {
  if (statement === undefined) throw new MalformedPolicyError('The policy document has no Statement');
  if (!Array.isArray(statement)) return [statement];
  if (statement.length === 0) throw new MalformedPolicyError('The policy document Statement list is empty: it needs at least one statement');
  return statement;
}

export function validatePolicyDocument(document: string): void {
  const characters = document.replace(/\s+/g, '').length;
  if (characters > MAX_POLICY_DOCUMENT_CHARACTERS) {
    throw new MalformedPolicyError(`The policy document has ${characters} characters (whitespace excluded); the maximum is ${MAX_POLICY_DOCUMENT_CHARACTERS}`);
  }
  const parsed = parseJson(document);
  if (!isJsonObject(parsed)) throw new MalformedPolicyError('The policy document must be a JSON object');
  const unknown = Object.keys(parsed).find((key) => !DOCUMENT_KEYS.has(key));
  if (unknown !== undefined) {
    throw new MalformedPolicyError(`The policy document has an unknown key "${unknown}" (allowed: ${[...DOCUMENT_KEYS].join(', ')})`);
  }
  if (parsed.Version !== undefined && parsed.Version !== POLICY_LANGUAGE_VERSION) {
    throw new MalformedPolicyError(`The policy document Version must be "${POLICY_LANGUAGE_VERSION}"`);
  }
  if (parsed.Id !== undefined && typeof parsed.Id !== 'string') throw new MalformedPolicyError('The policy document Id must be a string');
  statementsOf(parsed.Statement).forEach(checkStatement);
}
