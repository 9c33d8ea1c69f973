/** The guarded operation a /v1/policy request names: one with an input schema, or the caller's mistake. */
import { InvalidRequestError } from '../../errors.ts';
import { knownOperations, operationSchema, type OperationSchema } from '../engine/input-schema.ts';

export function knownOperationSchema(operation: string): OperationSchema {
  const schema = operationSchema(operation);
  if (!schema) {
    throw new InvalidRequestError(`Unknown operation "${operation}": it must be one of ${knownOperations().join(', ')}`);
  }
  return schema;
}
