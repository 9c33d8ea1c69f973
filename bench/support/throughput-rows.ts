/**
 * Table rows of decision-throughput.bench.ts. Per workload: req/s, p50/p99 latency and the service's CPU time
 * per answer, (a) and (b) against the baseline (c). Service CPU per answer is the number that moves least on a
 * shared machine (req/s and latency depend on how much CPU the run was given); it excludes the database's CPU.
 */
import type { BenchResult } from './bench-module.ts';
import type { LoadReport } from './load-generator.ts';
import { percentile, significant } from './stats.ts';

export interface WorkloadResult {
  report: LoadReport;
  /** CPU time of the service process during the measured runs; undefined where /proc is missing. */
  serviceCpuMs: number | undefined;
}

export interface Measured {
  describe: WorkloadResult;
  denied: WorkloadResult;
  toggles: WorkloadResult;
  /** Acknowledged guarded requests, setup and warm-up included: each must have left one audit row. */
  decisions: number;
}

interface RunFacts {
  clients: number;
  database: string;
}

const rps = ({ report }: WorkloadResult) => report.acknowledged / (report.elapsedMs / 1000);
const cpuPerAnswer = ({ report, serviceCpuMs }: WorkloadResult) => (serviceCpuMs ?? Number.NaN) / Math.max(1, report.acknowledged + report.unexpected);

type Metric = { suffix: string; unit: string; of: (result: WorkloadResult) => number };

const METRICS: readonly Metric[] = [
  { suffix: 'throughput', unit: 'req/s', of: rps },
  { suffix: 'p50 latency', unit: 'ms', of: (result) => percentile(result.report.latenciesMs, 50) },
  { suffix: 'p99 latency', unit: 'ms', of: (result) => percentile(result.report.latenciesMs, 99) },
  { suffix: 'service CPU per answer', unit: 'ms', of: cpuPerAnswer },
];

function workloadRows(label: string, result: WorkloadResult, baseline: WorkloadResult | undefined, facts: RunFacts): BenchResult[] {
  const { report } = result;
  const clientCpu = Math.round((100 * report.clientCpuMs) / report.elapsedMs);
  const runDetail = `${facts.clients} clients, ${report.acknowledged} answers in ${significant(report.elapsedMs / 1000)} s on ${facts.database}; load generator ${clientCpu}% of a core`;
  return METRICS.map((metric, index) => ({
    name: `${label}: ${metric.suffix}`,
    value: metric.of(result),
    unit: metric.unit,
    ...(baseline ? { baseline: { name: `(c) ${metric.suffix}`, value: metric.of(baseline) } } : {}),
    ...(index === 0 ? { detail: runDetail } : {}),
  }));
}

export function resultRows(m: Measured, auditRows: number, facts: RunFacts): BenchResult[] {
  const unexpected = m.describe.report.unexpected + m.denied.report.unexpected + m.toggles.report.unexpected;
  const samples = [m.describe, m.denied, m.toggles].flatMap((result) => result.report.unexpectedSamples);
  return [
    ...workloadRows('(c) DescribeCertificate (auth + validation + 1 SELECT)', m.describe, undefined, facts),
    ...workloadRows('(a) TransferCertificate denied (decision + audit row)', m.denied, m.describe, facts),
    ...workloadRows('(b) UpdateCertificate toggle (decision + UPDATE + audit row)', m.toggles, m.describe, facts),
    {
      name: 'unexpected answers, all workloads',
      value: unexpected,
      unit: 'answers',
      target: { max: 0 },
      ok: unexpected === 0,
      ...(samples.length > 0 ? { detail: samples[0]!.slice(0, 160) } : {}),
    },
    {
      name: 'audit rows = acknowledged decisions',
      value: auditRows,
      unit: 'rows',
      baseline: { name: 'decisions acknowledged to clients: setup + warm-up + measured', value: m.decisions },
      ok: auditRows === m.decisions,
      detail: auditRows === m.decisions ? 'no audit record dropped' : `MISMATCH: ${auditRows - m.decisions} rows`,
    },
  ];
}
