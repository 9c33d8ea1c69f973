/**
 * Reading the standard OTEL_* variables: the parsing rules shared by telemetry-options.ts and its helpers.
 * Pure: the environment is always a parameter.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class TelemetryConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid telemetry configuration: ${variable} ${problem}`);
    this.name = 'TelemetryConfigError';
  }
}

/** The spec says an empty variable means unset. */
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function isTrue(env: Env, name: string): boolean {
  return read(env, name)?.toLowerCase() === 'true';
}

/** The first of the names that is set (signal-specific before general), or the last name when none is. */
export function firstSet(env: Env, names: readonly [string, ...string[]]): { name: string; value: string | undefined } {
  for (const name of names) {
    const value = read(env, name);
    if (value !== undefined) return { name, value };
  }
  return { name: names[names.length - 1] as string, value: undefined };
}

/** A whole number of milliseconds, at least `min`. */
export function milliseconds(env: Env, name: string, fallback: number, min = 0): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new TelemetryConfigError(name, `must be a whole number of milliseconds${min > 0 ? ` of at least ${min}` : ''}, got "${value}"`);
  }
  return Number(value);
}

/** The message repeats the value, so user:password@ in it (a hosted backend's credentials) is masked first. */
function withoutCredentials(value: string): string {
  return value.replace(/^([^/]*\/\/)?[^/@]*@/, (_match, scheme: string | undefined) => `${scheme ?? ''}[REDACTED]@`);
}

export function parseUrl(name: string, value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // fall through to the error below, which names the variable
  }
  throw new TelemetryConfigError(name, `must be an http:// or https:// URL, got "${withoutCredentials(value)}"`);
}

/** A comma-separated list variable (OTEL_METRICS_EXPORTER...), each entry checked against the allowed values. */
export function list<T extends string>(env: Env, name: string, allowed: readonly T[]): T[] | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const entries = [
    ...new Set(
      value
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== ''),
    ),
  ];
  const unknown = entries.filter((entry) => !(allowed as readonly string[]).includes(entry));
  if (unknown.length > 0) throw new TelemetryConfigError(name, `accepts ${allowed.join(', ')}; "${unknown.join(', ')}" is not supported`);
  return entries as T[];
}
