/**
 * OpenTelemetry bootstrap, loaded before the application:
 *   node --import tsx --import ./src/telemetry/register.ts src/main.ts
 *
 * No ESM loader hook (import-in-the-middle): every instrumentation certguard uses patches CommonJS modules
 * (http, pg, pg-pool, winston; Express and pg are CommonJS, and certguard's own `import http from 'node:http'`
 * gets the same patched object), which require-in-the-middle reaches without one. The hook ran every module
 * resolution of the graph through a loader thread and wrapped each module, ~1.5 s of a PGlite restart's 4.5 s
 * (docs/operations.md#start-up-on-pglite); test/e2e/otlp-*.test.ts check the spans still come through.
 * The SDK is imported dynamically below so that it really runs before the application's imports.
 */

const { telemetryOptionsFromEnv, TelemetryConfigError } = await import('./telemetry-options.ts');
const sdk = await import('./telemetry-sdk.ts');

try {
  sdk.startTelemetry(telemetryOptionsFromEnv(process.env));
} catch (error) {
  if (!(error instanceof TelemetryConfigError)) throw error;
  // Fail fast with a message naming the variable, like src/config.ts; there is no logger yet.
  process.stderr.write(`${JSON.stringify({ level: 'error', message: error.message })}\n`);
  process.exit(1);
}

/** Same function as telemetry-sdk.ts exports; main.ts may import it from either file. */
export const shutdownTelemetry: (timeoutMs?: number) => Promise<void> = sdk.shutdownTelemetry;
