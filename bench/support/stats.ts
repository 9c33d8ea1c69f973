/** Small order statistics for benchmark samples. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** "min–max" with 3 significant digits, for the detail column. */
export function range(samples: readonly number[]): string {
  if (samples.length === 0) return '–';
  return `${significant(Math.min(...samples))}–${significant(Math.max(...samples))}`;
}

export function significant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 10 ** digits) return Math.round(value).toString();
  return Number(value.toPrecision(digits)).toString();
}
