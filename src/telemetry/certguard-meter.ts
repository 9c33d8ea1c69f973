/**
 * certguard's instruments, created lazily from whichever meter provider is registered when they are used.
 *
 * Why lazily: @opentelemetry/api has no proxy meter provider (unlike tracers). A meter or instrument obtained
 * before the SDK registers its provider is a no-op for good, so instruments created at import time would record
 * nothing whenever their module happens to be imported first (tests, or any other start-up order). Checking
 * the global provider on each use costs one property lookup and follows a provider registered later.
 */
import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';

/** Same name as the tracer: the instrumentation scope of every certguard metric. */
export const METER_NAME = 'certguard';

/** Returns a getter of `create(meter)`, re-created whenever the global meter provider changes. */
export function perMeterProvider<T>(create: (meter: Meter) => T): () => T {
  let provider: MeterProvider | undefined;
  let instruments: T | undefined;
  return () => {
    const current = metrics.getMeterProvider();
    if (instruments === undefined || current !== provider) {
      provider = current;
      instruments = create(current.getMeter(METER_NAME));
    }
    return instruments;
  };
}
