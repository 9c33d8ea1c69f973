/**
 * Which instrumentations the SDK gets (src/telemetry/telemetry-sdk.ts): SQL query spans only when asked for
 * (CERTGUARD_TRACE_DATABASE=true), and no Express instrumentation (http.route comes from src/http/route-attribute.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { instrumentations } from '../../src/telemetry/telemetry-sdk.ts';
import { telemetryOptionsFromEnv } from '../../src/telemetry/telemetry-options.ts';

function built(env: Record<string, string>) {
  const list = instrumentations(telemetryOptionsFromEnv(env));
  // Constructing an instrumentation enables it (patches modules): disable again so this test changes nothing.
  for (const instrumentation of list) instrumentation.disable();
  return list;
}

describe('telemetry instrumentations', () => {
  test('no pg instrumentation by default; CERTGUARD_TRACE_DATABASE=true adds it', () => {
    assert.equal(built({}).filter((i) => i instanceof PgInstrumentation).length, 0);
    const withDatabase = built({ CERTGUARD_TRACE_DATABASE: 'true' }).filter((i) => i instanceof PgInstrumentation);
    assert.equal(withDatabase.length, 1);
    const config = withDatabase[0]!.getConfig();
    assert.equal(config.enhancedDatabaseReporting, false, 'bound values (PEMs) are never recorded');
    assert.equal(config.requireParentSpan, true);
  });

  test('no Express instrumentation: it wrapped every router layer of every request', () => {
    const names = built({}).map((i) => i.instrumentationName);
    assert.ok(!names.some((name) => name.includes('express')), names.join(', '));
    assert.ok(names.includes('@opentelemetry/instrumentation-http'));
  });
});
