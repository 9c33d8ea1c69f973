/**
 * The table of decision-throughput.bench.ts: per scenario its throughput, p50/p99 latency and the service's CPU
 * time per answer; the decision scenarios against the describe baseline of the same run, with issue 14's targets
 * (≥ 0.8× describe's throughput, p99 ≤ 50 ms). Service CPU per answer moves least on a shared machine; it excludes
 * the database's CPU.
 */
import type { BenchResult } from './bench-module.ts';
import type { LoadReport } from './load-generator.ts';
import { percentile, significant } from './stats.ts';

export interface ScenarioResult {
  report: LoadReport;
  /** CPU time of the service process during the measured runs; undefined where /proc is missing. */
  serviceCpuMs: number | undefined;
}

interface RunFacts {
  clients: number;
  database: string;
}

/** Issue 14: a decision should cost about what a read costs. */
export const DECISION_TARGETS = { minThroughputRatio: 0.8, maxP99Ms: 50 } as const;

const LABELS: Record<string, string> = {
  describe: 'DescribeCertificate, one certificate (baseline)',
  allowed: 'TransferCertificate allowed, each on its own certificate',
  'denied-on-one': 'TransferCertificate denied, all on one certificate',
};

const rps = ({ report }: ScenarioResult) => report.acknowledged / (report.elapsedMs / 1000);
const p50 = ({ report }: ScenarioResult) => percentile(report.latenciesMs, 50);
const p99 = ({ report }: ScenarioResult) => percentile(report.latenciesMs, 99);
const cpuPerAnswer = ({ report, serviceCpuMs }: ScenarioResult) => (serviceCpuMs ?? Number.NaN) / Math.max(1, report.acknowledged + report.unexpected);

function runDetail(result: ScenarioResult, facts: RunFacts): string {
  const { report } = result;
  const clientCpu = Math.round((100 * report.clientCpuMs) / report.elapsedMs);
  return `${facts.clients} clients, ${report.acknowledged} answers in ${significant(report.elapsedMs / 1000)} s on ${facts.database}; load generator ${clientCpu}% of a core`;
}

function baselineRows(label: string, result: ScenarioResult, facts: RunFacts): BenchResult[] {
  return [
    { name: `${label}: throughput`, value: rps(result), unit: 'req/s', detail: runDetail(result, facts) },
    { name: `${label}: p50 latency`, value: p50(result), unit: 'ms' },
    { name: `${label}: p99 latency`, value: p99(result), unit: 'ms' },
    { name: `${label}: service CPU per answer`, value: cpuPerAnswer(result), unit: 'ms' },
  ];
}

/** A decision scenario: throughput as a ratio to describe (the target), p99 against its target, CPU per answer. */
function decisionRows(label: string, result: ScenarioResult, describe: ScenarioResult, facts: RunFacts): BenchResult[] {
  return [
    {
      name: `${label}: throughput vs describe`,
      value: rps(result) / rps(describe),
      unit: '× describe',
      target: { min: DECISION_TARGETS.minThroughputRatio },
      detail: `${significant(rps(result))} req/s vs ${significant(rps(describe))} req/s; ${runDetail(result, facts)}`,
    },
    { name: `${label}: p50 latency`, value: p50(result), unit: 'ms', baseline: { name: 'describe p50', value: p50(describe) } },
    { name: `${label}: p99 latency`, value: p99(result), unit: 'ms', target: { max: DECISION_TARGETS.maxP99Ms } },
    { name: `${label}: service CPU per answer`, value: cpuPerAnswer(result), unit: 'ms', baseline: { name: 'describe', value: cpuPerAnswer(describe) } },
  ];
}

export function decisionFigures(results: ReadonlyMap<string, ScenarioResult>, facts: RunFacts): BenchResult[] {
  const describe = results.get('describe');
  if (!describe) throw new Error('decision-throughput: the describe baseline was not measured');
  const rows = baselineRows(LABELS.describe!, describe, facts);
  for (const [scenario, result] of results) {
    if (scenario !== 'describe') rows.push(...decisionRows(LABELS[scenario] ?? scenario, result, describe, facts));
  }
  return rows;
}
