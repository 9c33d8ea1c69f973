/**
 * Names the API operation of a request from the OpenAPI contract (method + path template -> operationId), before
 * the validator has run: throttling needs it to audit a refused request under its operation's name.
 */
import type { Request } from 'express';

interface OpenApiDocument {
  paths?: Record<string, Record<string, { operationId?: string }>>;
}

interface Route {
  method: string;
  pattern: RegExp;
  operationId: string;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function patternOf(template: string): RegExp {
  // A path label matches one segment, as sent (percent-encoded), so `/attached-policies/arn%3A...` is one label.
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}$`);
}

export type OperationResolver = (req: Pick<Request, 'method' | 'path'>) => string | undefined;

export function operationResolver(spec: OpenApiDocument): OperationResolver {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (HTTP_METHODS.has(method) && operation.operationId) {
        routes.push({ method: method.toUpperCase(), pattern: patternOf(template), operationId: operation.operationId });
      }
    }
  }
  return (req) => routes.find((r) => r.method === req.method && r.pattern.test(req.path))?.operationId;
}
