/**
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, validated here (the SDK would only log a warning and fall back
 * to always_on, silently changing what is kept).
 */
import { type Env, read, TelemetryConfigError } from './telemetry-env.ts';

export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface SamplerOptions {
  name: SamplerName;
  /** Fraction of traces kept, for the *traceidratio samplers only. */
  ratio?: number;
}

function ratio(env: Env): number {
  const value = read(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (value === undefined) return 1;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
    throw new TelemetryConfigError('OTEL_TRACES_SAMPLER_ARG', `must be a number from 0 to 1, got "${value}"`);
  }
  return parsed;
}

/** Default parentbased_always_on: a caller's sampling decision (the traceparent flag) is followed. */
export function samplerFromEnv(env: Env): SamplerOptions {
  const value = read(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on';
  if (!(SAMPLERS as readonly string[]).includes(value)) {
    throw new TelemetryConfigError('OTEL_TRACES_SAMPLER', `must be one of ${SAMPLERS.join(', ')}, got "${value}"`);
  }
  const name = value as SamplerName;
  return name.endsWith('traceidratio') ? { name, ratio: ratio(env) } : { name };
}
