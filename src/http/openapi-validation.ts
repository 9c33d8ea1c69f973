/**
 * The OpenAPI request validator as certguard runs it: every request is checked against openapi/certguard.yaml
 * before a router sees it, and routers rely on that (src/request/operation-input.ts types their input from the
 * contract). One definition, so the app and the tests of operationInput run the same validator.
 */
import * as OpenApiValidator from 'express-openapi-validator';
import { memoizeValidatorRouteRegexps } from './openapi-route-regexps.ts';

type ApiSpec = Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'];

/**
 * `spec`: the contract's path, or the parsed document (openapi-document.ts), which the validator gets a copy of:
 * it rewrites the document it is given (bundles references, sorts tags, preprocesses schemas), and the object is
 * shared.
 */
export function openApiValidation(spec: string | object) {
  // The validator compiles every route's regexp on every request: compile each once (openapi-route-regexps.ts).
  memoizeValidatorRouteRegexps();
  return OpenApiValidator.middleware({
    apiSpec: typeof spec === 'string' ? spec : (structuredClone(spec) as ApiSpec),
    // coerceTypes false: the validator still coerces path, query and header strings (its parameter Ajv always
    // does), but a JSON body keeps its types, so {"transferMessage": 0} is refused as AWS refuses it.
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: false,
    validateSecurity: false,
    ignoreUndocumented: false,
  });
}
