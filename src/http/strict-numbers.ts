/**
 * Numeric query and path parameters must be plain decimal integers. The OpenAPI validator coerces them with Ajv,
 * and with `strictNumbers` Ajv coerces "Infinity" (and "1e309") to Infinity, then skips minimum/maximum for a
 * non-finite number: `pageSize=Infinity` reached the database and answered 500. Ajv also takes "0x10", " 5" and
 * "1e2", which no AWS client sends and AWS refuses. Mounted after the validator (which has already checked the
 * range of every finite value), this refuses any numeric parameter that is not `-?digits`, so the number is finite
 * and exact. The parameter list comes from the spec once at start-up; the per-request cost is one lookup and a
 * regex per numeric parameter present.
 */
import type { NextFunction, Request, Response } from 'express';
import { InvalidRequestError } from './errors.ts';

interface SpecParameter {
  $ref?: string;
  name?: string;
  in?: string;
  schema?: { type?: string; $ref?: string };
}

interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components?: { parameters?: Record<string, SpecParameter>; schemas?: Record<string, { type?: string }> };
}

interface NumericParameter {
  name: string;
  in: 'query' | 'path';
}

/** At most 15 digits: every such value is a safe integer, so Number() of it is exact. */
const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function resolve(spec: Spec, parameter: SpecParameter): SpecParameter {
  const name = parameter.$ref?.replace('#/components/parameters/', '');
  return name === undefined ? parameter : (spec.components?.parameters?.[name] ?? {});
}

function schemaType(spec: Spec, schema: SpecParameter['schema']): string | undefined {
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  return name === undefined ? schema?.type : spec.components?.schemas?.[name]?.type;
}

/** operationId -> its integer parameters in the query or path (the spec has no fractional `number` parameter). */
export function numericParameters(spec: Spec): Map<string, NumericParameter[]> {
  const byOperation = new Map<string, NumericParameter[]>();
  for (const item of Object.values(spec.paths)) {
    const shared = (item.parameters as SpecParameter[] | undefined) ?? [];
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const op = operation as { operationId?: string; parameters?: SpecParameter[] };
      const numeric = [...shared, ...(op.parameters ?? [])]
        .map((p) => resolve(spec, p))
        .filter((p) => (p.in === 'query' || p.in === 'path') && schemaType(spec, p.schema) === 'integer')
        .map((p) => ({ name: p.name as string, in: p.in as 'query' | 'path' }));
      if (op.operationId !== undefined && numeric.length > 0) byOperation.set(op.operationId, numeric);
    }
  }
  return byOperation;
}

type ValidatedRequest = Request & { openapi?: { schema?: { operationId?: string }; pathParams?: Record<string, unknown> } };

export function strictNumbers(spec: Spec) {
  const byOperation = numericParameters(spec);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const openapi = (req as ValidatedRequest).openapi;
    const parameters = byOperation.get(openapi?.schema?.operationId ?? '');
    if (parameters === undefined) return next();
    for (const parameter of parameters) {
      const value: unknown = parameter.in === 'query' ? req.query[parameter.name] : openapi?.pathParams?.[parameter.name];
      if (value === undefined) continue;
      if (typeof value !== 'string' || !DECIMAL_INTEGER.test(value)) {
        return next(new InvalidRequestError(`Invalid request: ${parameter.in}.${parameter.name} must be a decimal integer`));
      }
    }
    next();
  };
}
