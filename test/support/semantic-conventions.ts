/**
 * Checks exported metric and attribute names against the OpenTelemetry semantic conventions, so a dashboard or
 * an alert written for any service following them reads certguard's too:
 * - a name in a semantic-conventions namespace (its first segment is that of some convention: http., process.,
 *   nodejs., v8js., db., cpu., error. ...) must be a METRIC_* / ATTR_* name of @opentelemetry/semantic-conventions
 *   (the incubating entry, which has them all) and not one it marks @deprecated;
 * - such a metric must have the unit and instrument the conventions give it (SEMCONV_METRICS below: the package
 *   has the names only, the units and instruments are in the conventions' metric tables);
 * - certguard's own names are `certguard.<lower_snake>.…`, and its metrics carry a UCUM unit (`s`, `By`, `1`,
 *   or an annotation like `{decision}`) and no unit in the name (`_seconds`, `_ms`, `_total`: Prometheus
 *   exporters add the suffixes from the unit);
 * - any other namespace is a problem: neither a convention nor certguard's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as semconv from '@opentelemetry/semantic-conventions/incubating';

export type Instrument = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

export interface ExportedMetric {
  name: string;
  unit: string;
  /** As OTLP carries it: a Counter is a monotonic sum, an UpDownCounter a non-monotonic one. */
  kind: 'sum' | 'gauge' | 'histogram';
  monotonic?: boolean;
}

/**
 * Unit and instrument of each convention metric certguard can export, from the conventions' metric tables
 * (opentelemetry.io/docs/specs/semconv: HTTP, database, process, Node.js and V8 runtime metrics). A convention
 * metric certguard exports that is missing here is reported, so this table grows with what is exported.
 * `instrument: undefined`: the unit is known, the instrument was not confirmed from the tables.
 */
export const SEMCONV_METRICS: Readonly<Record<string, { unit: string; instrument: Instrument | undefined }>> = {
  'http.server.request.duration': { unit: 's', instrument: 'histogram' },
  'db.client.operation.duration': { unit: 's', instrument: 'histogram' },
  'process.cpu.time': { unit: 's', instrument: 'counter' },
  'process.memory.usage': { unit: 'By', instrument: 'updowncounter' },
  'nodejs.eventloop.delay.min': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.delay.max': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.delay.mean': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.delay.stddev': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.delay.p50': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.delay.p90': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.delay.p99': { unit: 's', instrument: 'gauge' },
  'nodejs.eventloop.utilization': { unit: '1', instrument: 'gauge' },
  'nodejs.eventloop.time': { unit: 's', instrument: 'counter' },
  'v8js.gc.duration': { unit: 's', instrument: 'histogram' },
  'v8js.memory.heap.used': { unit: 'By', instrument: 'updowncounter' },
  'v8js.memory.heap.space.size': { unit: 'By', instrument: 'updowncounter' },
  'v8js.memory.heap.space.available_size': { unit: 'By', instrument: 'updowncounter' },
  'v8js.memory.heap.space.physical_size': { unit: 'By', instrument: 'updowncounter' },
  'v8js.resource.active': { unit: '{resource}', instrument: undefined },
};

const OWN_NAMESPACE = 'certguard';
const OWN_NAME = /^certguard(\.[a-z][a-z0-9_]*)+$/;
/** UCUM units certguard may use: time, bytes, dimensionless, or a curly-brace annotation of what is counted. */
const OWN_UNIT = /^(s|ms|us|ns|By|KiBy|MiBy|1|%|\{[a-z_]+\})$/;
/** A unit (or Prometheus' counter suffix) inside a metric name, as a whole name segment. */
const UNIT_IN_NAME = /(^|[._])(seconds?|secs?|ms|millis|milliseconds|us|micros|microseconds|ns|nanos|nanoseconds|bytes?|kb|mb|total|percent)($|[._])/;

const constants: Array<[string, string]> = Object.entries(semconv as Record<string, unknown>).flatMap(([key, value]) =>
  typeof value === 'string' ? [[key, value] as [string, string]] : [],
);
const metricNames = new Set<string>(constants.filter(([key]) => key.startsWith('METRIC_')).map(([, value]) => value));
const attributeNames = new Set<string>(constants.filter(([key]) => key.startsWith('ATTR_')).map(([, value]) => value));
const namespaces = new Set([...metricNames, ...attributeNames].map((name) => name.split('.')[0]!));

/** Names the package's declarations mark @deprecated (the JSDoc is the only place that says so). */
function deprecatedNames(): Set<string> {
  const dist = path.dirname(createRequire(import.meta.url).resolve('@opentelemetry/semantic-conventions/incubating'));
  const names = new Set<string>();
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.d.mts'))) {
    const declarations = readFileSync(path.join(dist, file), 'utf8');
    for (const match of declarations.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*declare const (?:METRIC|ATTR)_\w+: "([^"]+)"/g)) {
      if (match[1]!.includes('@deprecated')) names.add(match[2]!);
    }
  }
  return names;
}
const deprecated = deprecatedNames();

export function instrumentOf(metric: ExportedMetric): Instrument {
  if (metric.kind === 'sum') return metric.monotonic ? 'counter' : 'updowncounter';
  return metric.kind;
}

const isConventionNamespace = (name: string) => name.split('.')[0] !== OWN_NAMESPACE && namespaces.has(name.split('.')[0]!);

export function metricProblems(metrics: Iterable<ExportedMetric>): string[] {
  const problems: string[] = [];
  for (const metric of metrics) {
    const { name, unit } = metric;
    if (name.split('.')[0] === OWN_NAMESPACE) {
      if (!OWN_NAME.test(name)) problems.push(`${name}: not certguard.<lower_snake_case>.…`);
      if (UNIT_IN_NAME.test(name)) problems.push(`${name}: a unit in the name (the unit belongs in the unit field)`);
      if (!OWN_UNIT.test(unit)) problems.push(`${name}: unit "${unit}" is not a UCUM unit or {annotation}`);
    } else if (isConventionNamespace(name)) {
      if (!metricNames.has(name)) problems.push(`${name}: not a semantic-conventions metric`);
      else if (deprecated.has(name)) problems.push(`${name}: deprecated in the semantic conventions`);
      const reference = SEMCONV_METRICS[name];
      if (reference === undefined) {
        problems.push(`${name}: no unit and instrument recorded in SEMCONV_METRICS`);
        continue;
      }
      if (unit !== reference.unit) problems.push(`${name}: unit "${unit}", the conventions say "${reference.unit}"`);
      const instrument = instrumentOf(metric);
      if (reference.instrument !== undefined && instrument !== reference.instrument) {
        problems.push(`${name}: a ${instrument}, the conventions say a ${reference.instrument}`);
      }
    } else {
      problems.push(`${name}: neither a certguard.* metric nor in a semantic-conventions namespace`);
    }
  }
  return problems;
}

export function attributeProblems(names: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const name of new Set(names)) {
    if (name.split('.')[0] === OWN_NAMESPACE) {
      if (!OWN_NAME.test(name)) problems.push(`${name}: not certguard.<lower_snake_case>.…`);
    } else if (isConventionNamespace(name)) {
      if (!attributeNames.has(name)) problems.push(`${name}: not a semantic-conventions attribute`);
      else if (deprecated.has(name)) problems.push(`${name}: deprecated in the semantic conventions`);
    } else {
      problems.push(`${name}: neither a certguard.* attribute nor in a semantic-conventions namespace`);
    }
  }
  return problems;
}
