/**
 * What a router reads of a request: its path, query, header and JSON body members, typed from the contract
 * (`operations[Op]` in api-types.generated.ts, made from openapi/certguard.yaml by `npm run generate:types`).
 *
 * The types are true only because the OpenAPI validator (src/app.ts) runs before every router: it has refused
 * what the operation's schema does not allow, coerced query, path and header strings in place to the types the
 * contract gives (`?setAsActive=true` is the boolean true, `?pageSize=5` the integer 5; strict-numbers.ts then
 * refuses what Ajv coerced too generously), and left the JSON body as parsed (`coerceTypes: false`). This module
 * is the one place that tells TypeScript so; routes read typed values and cast nothing.
 *
 * It also checks that the validator matched the very operation the route names (`req.openapi.schema`), so a
 * route reading the wrong operation's shape fails on its first request instead of reading members that were
 * never validated.
 */
import type { Request } from 'express';
import type { operations } from './api-types.generated.ts';

export type OperationId = keyof operations;

/** A member the contract leaves out (`query?: never`) reads as an empty record. */
type Present<T> = [NonNullable<T>] extends [never] ? Record<string, never> : NonNullable<T>;

type JsonContent<B> = B extends { content: { 'application/json': infer Json } } ? Json : never;

/** A body the contract makes optional may be left out: `{}` stands for it, so its members are all optional. */
type JsonBody<Op extends OperationId> = undefined extends operations[Op]['requestBody']
  ? Partial<JsonContent<NonNullable<operations[Op]['requestBody']>>>
  : JsonContent<operations[Op]['requestBody']>;

export interface OperationInput<Op extends OperationId> {
  path: Present<operations[Op]['parameters']['path']>;
  query: Present<operations[Op]['parameters']['query']>;
  /** Header names in lower case, as Node gives them (the contract names its headers in lower case). */
  header: Present<operations[Op]['parameters']['header']>;
  body: Present<JsonBody<Op>>;
}

/** What express-openapi-validator adds to a request it has matched to an operation. */
interface ValidatedRequest {
  openapi?: { schema?: { operationId?: string } };
}

/** The route took a request the validator matched to another operation (or to none): a programming error. */
export class OperationMismatchError extends Error {}

export function operationInput<Op extends OperationId>(req: Request, operation: Op): OperationInput<Op> {
  const matched = (req as ValidatedRequest).openapi?.schema?.operationId;
  if (matched !== operation) {
    throw new OperationMismatchError(`The route reads ${operation} input, but the request was validated as ${matched ?? 'no operation'}`);
  }
  // An absent body (no bytes sent) is undefined after parseJsonBody; the contract made it optional, or the validator refused.
  const input: unknown = { path: req.params, query: req.query, header: req.headers, body: req.body ?? {} };
  return input as OperationInput<Op>;
}
