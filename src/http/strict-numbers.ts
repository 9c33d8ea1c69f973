/**
 * Numeric query parameters must be plain decimal integers. The OpenAPI validator coerces them with Ajv, and with
 * `strictNumbers` Ajv coerces "Infinity" (and "1e309") to Infinity, then skips minimum/maximum for a non-finite
 * number: `pageSize=Infinity` reached the database and answered 500. Ajv also takes "0x10", " 5" and "1e2", which
 * no AWS client sends and AWS refuses. Mounted after the validator (which has already checked the range of every
 * finite value), this reads the query as sent (the validator has replaced req.query's values by coerced ones) and
 * refuses any numeric parameter that is not `-?digits`, so the number is finite and exact. The parameter list
 * comes from the spec once at start-up; only operations with a numeric query parameter pay for reading the query
 * string again. (The spec has no numeric path or header parameter.)
 */
import type { NextFunction, Request, Response } from 'express';
import { InvalidRequestError } from '../errors.ts';

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

/** operationId -> the names of its integer query parameters (the spec has no fractional `number` parameter). */
export function numericQueryParameters(spec: Spec): Map<string, string[]> {
  const byOperation = new Map<string, string[]>();
  for (const item of Object.values(spec.paths)) {
    const shared = (item.parameters as SpecParameter[] | undefined) ?? [];
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const op = operation as { operationId?: string; parameters?: SpecParameter[] };
      const names = [...shared, ...(op.parameters ?? [])]
        .map((p) => resolve(spec, p))
        .filter((p) => p.in === 'query' && schemaType(spec, p.schema) === 'integer')
        .map((p) => p.name as string);
      if (op.operationId !== undefined && names.length > 0) byOperation.set(op.operationId, names);
    }
  }
  return byOperation;
}

type ValidatedRequest = Request & { openapi?: { schema?: { operationId?: string } } };

export function strictNumbers(spec: Spec) {
  const byOperation = numericQueryParameters(spec);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const names = byOperation.get((req as ValidatedRequest).openapi?.schema?.operationId ?? '');
    if (names === undefined) return next();
    const at = req.originalUrl.indexOf('?');
    const sent = new URLSearchParams(at < 0 ? '' : req.originalUrl.slice(at + 1));
    for (const name of names) {
      if (!sent.getAll(name).every((value) => DECIMAL_INTEGER.test(value))) {
        return next(new InvalidRequestError(`Invalid request: query.${name} must be a decimal integer`));
      }
    }
    next();
  };
}
