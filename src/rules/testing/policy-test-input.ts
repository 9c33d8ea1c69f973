/**
 * The `input` of a policy test case: what the service would hand the rules. Everything is optional and gets a
 * documented default (docs/policies.md, "Policy tests"), so a case spells out only the facts it is about.
 */
import { isScalar } from 'yaml';
import { CERTIFICATE_FIELDS, type OperationSchema, type RequestFieldType } from '../engine/input-schema.ts';
import type { CertificateFacts, PolicyInput } from '../engine/policy-input.ts';
import { isExplicitNull, openMapping, optionalObject, optionalStringList, optionalText, optionalTimestamp } from './policy-test-yaml.ts';
import type { YamlObject } from '../engine/yaml-object.ts';
import { isStringScalar } from '../engine/yaml-source.ts';

export const DEFAULT_NOW = '2026-01-01T00:00:00Z';
export const DEFAULT_CALLER = { accountId: '111111111111', accessKeyId: 'AKIAPOLICYTEST000001', roles: ['operator'] };
export const DEFAULT_CERTIFICATE_ID = 'c0de'.repeat(16);
const DAY_MS = 24 * 60 * 60 * 1000;

const INPUT_KEYS = ['request', 'caller', 'certificate', 'attachedPolicies', 'now'];
const CALLER_KEYS = ['accountId', 'accessKeyId', 'roles'];
const TIMESTAMP_FIELDS = ['createdAt', 'notBefore', 'notAfter'] as const;

/** Reads a case's `input` (absent = all defaults) for an operation with the given schema. */
export function readCaseInput(caseObject: YamlObject, operation: string, schema: OperationSchema): PolicyInput {
  const input = optionalObject(caseObject, 'input', INPUT_KEYS, 'input');
  const now = (input && optionalTimestamp(input, 'now', 'input.now')) ?? new Date(DEFAULT_NOW);
  const caller = readCaller(input);
  const result: PolicyInput = { request: input ? readRequest(input, operation, schema) : {}, caller, now };
  if (!input) return schema.certificateFacts ? withDefaultFacts(result) : result;

  for (const key of ['certificate', 'attachedPolicies']) {
    if (!schema.certificateFacts && input.raw(key) !== undefined) {
      throw input.error(`input.${key}: ${operation} has no certificate facts, so its rules cannot read ${key}`, input.raw(key));
    }
  }
  if (!schema.certificateFacts) return result;
  // An explicit null leaves the fact unbound, as if the service had not supplied it (rules reading it error).
  if (!isExplicitNull(input, 'certificate')) result.certificate = readCertificate(input, caller.accountId, now);
  if (!isExplicitNull(input, 'attachedPolicies')) result.attachedPolicies = optionalStringList(input, 'attachedPolicies', 'input.attachedPolicies') ?? [];
  return result;
}

function withDefaultFacts(input: PolicyInput): PolicyInput {
  return { ...input, certificate: defaultCertificate(input.caller.accountId, input.now), attachedPolicies: [] };
}

function readCaller(input: YamlObject | undefined): PolicyInput['caller'] {
  const caller = input && optionalObject(input, 'caller', CALLER_KEYS, 'input.caller');
  if (!caller) return { ...DEFAULT_CALLER, roles: [...DEFAULT_CALLER.roles] };
  return {
    accountId: optionalText(caller, 'accountId', 'input.caller.accountId') ?? DEFAULT_CALLER.accountId,
    accessKeyId: optionalText(caller, 'accessKeyId', 'input.caller.accessKeyId') ?? DEFAULT_CALLER.accessKeyId,
    roles: optionalStringList(caller, 'roles', 'input.caller.roles') ?? [...DEFAULT_CALLER.roles],
  };
}

/** Only the operation's declared request fields, each with its declared type: a misspelt field is an error, not a no-op. */
function readRequest(input: YamlObject, operation: string, schema: OperationSchema): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const { key, keyNode, value } of openMapping(input, 'request', 'input.request') ?? []) {
    const type = Object.hasOwn(schema.request, key) ? schema.request[key] : undefined;
    if (!type) {
      const known = Object.keys(schema.request).join(', ') || 'none';
      throw input.error(`input.request: unknown field "${key}" for ${operation} (fields: ${known})`, keyNode);
    }
    request[key] = requestValue(input, `input.request.${key}`, type, value);
  }
  return request;
}

function requestValue(input: YamlObject, what: string, type: RequestFieldType, node: unknown): unknown {
  const value = isScalar(node) ? node.value : undefined;
  const ok = type === 'string' ? isStringScalar(node) : type === 'bool' ? typeof value === 'boolean' : typeof value === 'bigint';
  if (!ok) {
    const expected = type === 'string' ? 'a string (quote it if YAML reads it as another type)' : type === 'bool' ? 'true or false' : 'an integer';
    throw input.error(`${what}: must be ${expected}`, node);
  }
  return value;
}

function defaultCertificate(ownedBy: string, now: Date): CertificateFacts {
  return {
    id: DEFAULT_CERTIFICATE_ID,
    arn: certificateArn(ownedBy, DEFAULT_CERTIFICATE_ID),
    status: 'INACTIVE',
    ownedBy,
    previousOwnedBy: '',
    pendingTransferTo: '',
    mode: 'DEFAULT',
    createdAt: new Date(now.getTime() - DAY_MS),
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
  };
}

function readCertificate(input: YamlObject, callerAccount: string, now: Date): CertificateFacts {
  const object = optionalObject(input, 'certificate', Object.keys(CERTIFICATE_FIELDS), 'input.certificate');
  const ownedBy = (object && optionalText(object, 'ownedBy', 'input.certificate.ownedBy')) ?? callerAccount;
  const facts = defaultCertificate(ownedBy, now);
  if (!object) return facts;
  const text = (key: string) => optionalText(object, key, `input.certificate.${key}`);
  facts.id = text('id') ?? facts.id;
  facts.arn = text('arn') ?? certificateArn(ownedBy, facts.id);
  facts.status = text('status') ?? facts.status;
  facts.previousOwnedBy = text('previousOwnedBy') ?? facts.previousOwnedBy;
  facts.pendingTransferTo = text('pendingTransferTo') ?? facts.pendingTransferTo;
  facts.mode = text('mode') ?? facts.mode;
  for (const key of TIMESTAMP_FIELDS) facts[key] = optionalTimestamp(object, key, `input.certificate.${key}`) ?? facts[key];
  return facts;
}

function certificateArn(account: string, id: string): string {
  return `arn:aws:iot:us-east-1:${account}:cert/${id}`;
}
