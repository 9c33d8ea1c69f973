import { Environment } from '@marcbachmann/cel-js';
import { CALLER_FIELDS, CEL_TIMESTAMP, CERTIFICATE_FIELDS, operationSchema, type OperationSchema } from './input-schema.ts';

/**
 * cel-js recognises a value of a registered type by its constructor. Building the input as instances of these
 * classes once per decision means no rule pays for converting or wrapping it again.
 */
export type RecordClass = new (fields: Record<string, unknown>) => object;

export interface OperationEnvironment {
  readonly operation: string;
  readonly schema: OperationSchema;
  readonly env: Environment;
  readonly Request: RecordClass;
  readonly Caller: RecordClass;
  readonly Certificate: RecordClass;
}

function recordClass(name: string): RecordClass {
  // The computed key gives the class a readable name in cel-js type errors.
  return {
    [name]: class {
      constructor(fields: Record<string, unknown>) {
        Object.assign(this, fields);
      }
    },
  }[name] as RecordClass;
}

const Caller = recordClass('Caller');
const Certificate = recordClass('Certificate');

function buildBaseEnvironment(): Environment {
  return (
    new Environment()
      .registerType('certguard.Caller', { ctor: Caller, fields: { ...CALLER_FIELDS } })
      .registerType('certguard.Certificate', { ctor: Certificate, fields: { ...CERTIFICATE_FIELDS } })
      .registerVariable('caller', 'certguard.Caller')
      .registerVariable('now', CEL_TIMESTAMP)
      .registerVariable('params', 'map<string, dyn>')
      // Standard CEL conversions that cel-js 8 lacks; messages need them to print dates.
      .registerFunction(`string(${CEL_TIMESTAMP}): string`, (t: Date) => t.toISOString())
      .registerFunction(`int(${CEL_TIMESTAMP}): int`, (t: Date) => BigInt(Math.floor(t.getTime() / 1000)))
  );
}

let baseEnvironment: Environment | undefined;
const environments = new Map<string, OperationEnvironment>();

/** The typed environment for an operation, built once per process; undefined for an operation with no schema. */
export function environmentFor(operation: string): OperationEnvironment | undefined {
  const cached = environments.get(operation);
  if (cached) return cached;
  const schema = operationSchema(operation);
  if (!schema) return undefined;

  baseEnvironment ??= buildBaseEnvironment();
  const Request = recordClass(`${operation}Request`);
  const env = baseEnvironment
    .clone()
    .registerType(`certguard.${operation}Request`, { ctor: Request, fields: { ...schema.request } })
    .registerVariable('request', `certguard.${operation}Request`);
  if (schema.certificateFacts) {
    env.registerVariable('certificate', 'certguard.Certificate').registerVariable('attachedPolicies', 'list<string>');
  }
  const built: OperationEnvironment = { operation, schema, env, Request, Caller, Certificate };
  environments.set(operation, built);
  return built;
}
