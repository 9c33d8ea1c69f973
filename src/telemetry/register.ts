/**
 * OpenTelemetry bootstrap, loaded before the application:
 *   node --import tsx --import ./src/telemetry/register.ts src/main.ts
 *
 * The ESM loader hook must be registered before any instrumented module (pg, winston, http) is imported, or it
 * is not instrumented. Everything else is imported
 * dynamically below so that, unlike static imports (which are hoisted), it really runs after the hook.
 */
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

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
