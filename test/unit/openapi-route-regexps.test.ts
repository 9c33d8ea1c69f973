/**
 * src/http/openapi-route-regexps.ts: the validator's path-to-regexp is memoized (the same result object for the
 * same route and options), results still match like the original, and other calls pass through.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { memoizeValidatorRouteRegexps } from '../../src/http/openapi-route-regexps.ts';

const require = createRequire(import.meta.url);
const validatorRoot = path.dirname(require.resolve('express-openapi-validator/package.json'));
const validatorsModule = () =>
  createRequire(path.join(validatorRoot, 'dist', 'middlewares', 'openapi.metadata.js'))('path-to-regexp') as {
    pathToRegexp: (route: string, options?: object) => { regexp: RegExp; keys: Array<{ name: string }> };
  };

test("the validator's pathToRegexp returns one compiled result per route and options, matching as before", () => {
  const before = validatorsModule().pathToRegexp;
  const expected = before('/transfer-certificate/:certificateId', { sensitive: false, strict: false });
  assert.equal(memoizeValidatorRouteRegexps(), true);
  assert.equal(memoizeValidatorRouteRegexps(), true, 'idempotent');
  const { pathToRegexp } = validatorsModule();
  assert.notEqual(pathToRegexp, before, 'replaced on the module object the validator reads');
  const first = pathToRegexp('/transfer-certificate/:certificateId', { sensitive: false, strict: false });
  const second = pathToRegexp('/transfer-certificate/:certificateId', { sensitive: false, strict: false });
  assert.equal(first, second, 'compiled once');
  assert.notEqual(pathToRegexp('/transfer-certificate/:certificateId', { sensitive: true, strict: false }), first, 'options are part of the key');
  assert.equal(first.regexp.source, expected.regexp.source);
  assert.deepEqual(
    first.keys.map((k) => k.name),
    ['certificateId'],
  );
  assert.deepEqual(first.regexp.exec('/transfer-certificate/abc')?.slice(1), ['abc']);
  assert.deepEqual(first.regexp.exec('/transfer-certificate/abc')?.slice(1), ['abc'], 'no state kept between exec calls');
  assert.equal(first.regexp.exec('/certificates/abc'), null);
  const other = { sensitive: false, end: false };
  assert.notEqual(pathToRegexp('/certificates/:id', other), pathToRegexp('/certificates/:id', other), 'other options pass through uncached');
});
