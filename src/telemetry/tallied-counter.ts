/**
 * A monotonic counter kept as a tally in certguard and reported to the SDK only when a reader collects (an
 * asynchronous ObservableCounter): exported exactly like a synchronous counter (a monotonic cumulative sum per
 * label set, `*_total` on /metrics), but a decision's `add` is one Map lookup by a key the caller builds, where the
 * SDK's synchronous `add` sorts and JSON-serializes the labels once per reader (`hashAttributes`, the top SDK
 * function in a CPU profile of the decision load). certguard.decisions and certguard.rule.evaluations made four of
 * a denial's six measurements.
 */
import type { Attributes, Meter, MetricOptions } from '@opentelemetry/api';

export interface TalliedCounter {
  /** Adds 1 to the series `key` names; `attributes()` is called only the first time a key is seen. */
  increment(key: string, attributes: () => Attributes): void;
}

export function talliedCounter(meter: Meter, name: string, options: MetricOptions): TalliedCounter {
  const series = new Map<string, { attributes: Attributes; value: number }>();
  meter.createObservableCounter(name, options).addCallback((result) => {
    for (const { attributes, value } of series.values()) result.observe(value, attributes);
  });
  return {
    increment(key, attributes) {
      const found = series.get(key);
      if (found === undefined) series.set(key, { attributes: attributes(), value: 1 });
      else found.value++;
    },
  };
}
