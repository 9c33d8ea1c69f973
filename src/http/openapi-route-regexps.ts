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

/** Idempotent. Returns whether the memoized function is in place. */
export function memoizeValidatorRouteRegexps(): boolean {
  const module = validatorsPathToRegexpModule();
  if (module.pathToRegexp[MEMOIZED]) return true;
  const original = module.pathToRegexp;
  const cache = new Map<string, ReturnType<PathToRegexp>>();
  const memoized = (route: string, options?: Record<string, unknown>) => {
    // Only the string-route, plain-options calls the validator makes are cached; anything else goes through.
    if (typeof route !== 'string' || (options !== undefined && Object.values(options).some((value) => typeof value === 'object'))) {
      return original(route, options);
    }
    const key = `${route}\u0000${JSON.stringify(options ?? {})}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = original(route, options);
      if (cache.size < MAX_CACHED) cache.set(key, found);
    }
    return found;
  };
  module.pathToRegexp = Object.assign(memoized, { [MEMOIZED]: true as const });
  return true;
}
