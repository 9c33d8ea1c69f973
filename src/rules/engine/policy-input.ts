import type { OperationEnvironment } from './cel-environment.ts';
import type { RequestFieldType } from './input-schema.ts';

/** What the service knows when it asks for a decision. */
export interface PolicyInput {
  request: Record<string, unknown>;
  caller: { accountId: string; accessKeyId: string; roles: string[] };
  /** Facts of the certificate the operation acts on; leave out when there is none. */
  certificate?: CertificateFacts;
  /** Names of the IoT policies attached to that certificate. */
  attachedPolicies?: string[];
  now: Date;
}

export interface CertificateFacts {
  id: string;
  arn: string;
  status: string;
  ownedBy: string;
  previousOwnedBy: string | null;
  pendingTransferTo: string | null;
  mode: string;
  createdAt: Date;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Converts the service's input into the typed values the operation's CEL environment declares. Absent request
 * fields get their type's zero value and nulls become '', so rules never meet null. A fact the service did not
 * supply (certificate, attachedPolicies) stays unbound: a rule reading it errors, which denies (fail closed).
 */
export function toCelContext(
  { schema, Request, Caller, Certificate }: OperationEnvironment,
  input: PolicyInput,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const context: Record<string, unknown> = {
    request: new Request(requestFields(schema.request, input.request)),
    caller: new Caller({
      accountId: text(input.caller?.accountId),
      accessKeyId: text(input.caller?.accessKeyId),
      roles: (input.caller?.roles ?? []).map(text),
    }),
    now: input.now,
    params,
  };
  if (schema.certificateFacts && input.certificate) context.certificate = new Certificate(certificateFields(input.certificate));
  if (schema.certificateFacts && input.attachedPolicies) context.attachedPolicies = input.attachedPolicies.map(text);
  return context;
}

function requestFields(declared: Readonly<Record<string, RequestFieldType>>, request: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(declared)) fields[name] = convert(type, request?.[name]);
  return fields;
}

function certificateFields(facts: CertificateFacts): Record<string, unknown> {
  return {
    id: text(facts.id),
    arn: text(facts.arn),
    status: text(facts.status),
    ownedBy: text(facts.ownedBy),
    previousOwnedBy: text(facts.previousOwnedBy),
    pendingTransferTo: text(facts.pendingTransferTo),
    mode: text(facts.mode),
    createdAt: facts.createdAt,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
  };
}

function convert(type: RequestFieldType, value: unknown): string | boolean | bigint {
  switch (type) {
    case 'string':
      return text(value);
    case 'bool':
      return value === true || value === 'true';
    case 'int':
      return integer(value);
  }
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** CEL ints are BigInt; anything that is not a whole number becomes 0 rather than throwing mid-decision. */
function integer(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? BigInt(number) : 0n;
}
