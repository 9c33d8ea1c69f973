/**
 * express-openapi-validator (5.x) finds a request's operation by compiling `pathToRegexp` for each route of the
 * contract, in order, on every request until one matches (`lookupRoute` in its openapi.metadata.js). Under the
 * decision load that compiling was ~8% of the service's CPU (path-to-regexp's parse/escape at the top of a CPU
 * profile), for results that never change: the contract's routes are fixed at start-up. This memoizes the
 * function on the path-to-regexp module the validator loads, keyed by route and options.
 *
 * A patch of a dependency's module object: done once, at app creation, and checked by
 * test/unit/openapi-route-regexps.test.ts. path-to-regexp's result is a non-global RegExp (exec keeps no state)
 * and its key list, which callers only read, so sharing one result between calls is safe. The cache is bounded
 * in case a caller ever compiles unbounded patterns.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

type PathToRegexp = (route: string, options?: Record<string, unknown>) => { regexp: RegExp; keys: unknown[] };

const MAX_CACHED = 1_000;
const MEMOIZED = Symbol.for('certguard.memoizedPathToRegexp');

/** The path-to-regexp module as express-openapi-validator's own require resolves it. */
function validatorsPathToRegexpModule(): { pathToRegexp: PathToRegexp & { [MEMOIZED]?: true } } {
  const require = createRequire(import.meta.url);
  const validatorRoot = path.dirname(require.resolve('express-openapi-validator/package.json'));
  return createRequire(path.join(validatorRoot, 'dist', 'middlewares', 'openapi.metadata.js'))('path-to-regexp');
}

function onlyFlags(options: Record<string, unknown> | undefined): boolean {
  if (options === undefined) return true;
  for (const key in options) {
    if (key !== 'sensitive' && key !== 'strict') return false;
  }
  return true;
}

/** Idempotent. Returns whether the memoized function is in place. */
export function memoizeValidatorRouteRegexps(): boolean {
  const module = validatorsPathToRegexpModule();
  if (module.pathToRegexp[MEMOIZED]) return true;
  const original = module.pathToRegexp;
  // route -> results by option flags (bit 0 sensitive, bit 1 strict): no string building per call, since the
  // validator calls this for each route of the contract on every request.
  const cache = new Map<string, Array<ReturnType<PathToRegexp> | undefined>>();
  const memoized = (route: string, options?: Record<string, unknown>) => {
    // Only the calls the validator makes (a string route; options of sensitive/strict flags) are cached.
    if (typeof route !== 'string' || !onlyFlags(options)) return original(route, options);
    const flags = (options?.sensitive ? 1 : 0) | (options?.strict ? 2 : 0);
    let byFlags = cache.get(route);
    if (byFlags === undefined) {
      if (cache.size >= MAX_CACHED) return original(route, options);
      byFlags = [];
      cache.set(route, byFlags);
    }
    let found = byFlags[flags];
    if (found === undefined) {
      found = original(route, options);
      byFlags[flags] = found;
    }
    return found;
  };
  module.pathToRegexp = Object.assign(memoized, { [MEMOIZED]: true as const });
  return true;
}
