/**
 * The one place a winston logger is created: JSON lines on stdout, with a timestamp, the active span's trace ids
 * and secrets redacted. Tests pass their own stream.
 */
import { Writable } from 'node:stream';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
import winston from 'winston';
import type { LogLevel } from './config.ts';

/**
 * Reads the active span through @opentelemetry/api, so lines are correlated even without the winston
 * instrumentation; when the instrumentation already injected the same fields, they are left as they are.
 */
const traceIds = winston.format((info) => {
  if (info.trace_id !== undefined) return info;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return info;
  info.trace_id = spanContext.traceId;
  info.span_id = spanContext.spanId;
  info.trace_flags = spanContext.traceFlags.toString(16).padStart(2, '0');
  return info;
});

const SECRET_KEY = /secret|password|privatekey|private_key|authorization|signature|certificatepem|token/i;
const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;
const MAY_HOLD_SECRET = /PRIVATE KEY|AWS4-HMAC-SHA256|X-Amz-Signature/i;
// A block cut off before its END line (a truncated body) is masked to the end of the string.
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const SIGV4_AUTHORIZATION = /AWS4-HMAC-SHA256\s+Credential=\S*(?:[\s\S]*?Signature=[0-9a-fA-F]*)?/g;
const PRESIGNED_SIGNATURE = /(X-Amz-Signature=)[0-9a-fA-F]+/gi;

function maskString(value: string): string {
  if (!MAY_HOLD_SECRET.test(value)) return value;
  return value
    .replace(PRIVATE_KEY_PEM, '[REDACTED PRIVATE KEY]')
    .replace(SIGV4_AUTHORIZATION, 'AWS4-HMAC-SHA256 [REDACTED]')
    .replace(PRESIGNED_SIGNATURE, `$1${REDACTED}`);
}

/** Errors keep message and stack (not enumerable, so JSON would print {}), masked like any string. */
function errorFields(error: Error): Record<string, unknown> {
  return { ...error, name: error.name, message: error.message, stack: error.stack };
}

/** Returns a redacted copy: objects the caller logged (request bodies, errors) must not be changed. */
function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
    if (value instanceof Error) return redactObject(errorFields(value), depth, seen);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return redactValue(toJSON.call(value), depth + 1, seen);
    return redactObject(value as Record<string, unknown>, depth, seen);
  } finally {
    // Only ancestors count as circular; the same object logged under two keys is printed twice.
    seen.delete(value);
  }
}

function redactObject(object: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    copy[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(value, depth + 1, seen);
  }
  return copy;
}

/** The info object itself is winston's, changed in place so its symbol keys (level, splat) survive. */
const redaction = winston.format((info) => {
  const seen = new WeakSet<object>([info]);
  for (const [key, value] of Object.entries(info)) {
    info[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(value, 1, seen);
  }
  return info;
});

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stdout): winston.Logger {
  // winston runs the formats before its transports drop a line by level, so a line below the level would still
  // be redacted, timestamped and serialized (the access log writes one per request). Drop it first.
  const enabledOnly = winston.format((info) => (logger.isLevelEnabled(info.level) ? info : false));
  const logger = winston.createLogger({
    level,
    format: winston.format.combine(enabledOnly(), traceIds(), redaction(), winston.format.timestamp(), winston.format.json()),
    // The OpenTelemetry transport emits each (redacted) line to the global logger provider: over OTLP when
    // OTEL_LOGS_EXPORTER=otlp (src/telemetry/log-pipeline.ts), dropped by a no-op provider otherwise.
    transports: [new winston.transports.Stream({ stream }), new OpenTelemetryTransportV3()],
  });
  return logger;
}

const discard = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

/** For code paths and tests that need a logger but no output. */
export const silentLogger: winston.Logger = createLogger('error', discard);
silentLogger.silent = true;
