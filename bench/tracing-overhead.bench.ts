/**
 * What tracing and metrics cost a decision: two copies of the real service side by side, each on its own scratch
 * database, one started as `npm start` does with an OTLP endpoint (spans and metrics exported over http/protobuf
 * to a draining receiver in this process, /metrics reader on) and one without the OpenTelemetry SDK at all.
 * The same workloads run against each, one service at a time, in rounds ordered ABBA so drift on the shared
 * machine hits both alike. The ratio on/off is the number to compare between runs.
 *
 * The "on" service exports for real: every span of every request (server and decision; Express layer spans are
 * gone and SQL query spans are opt-in, docs/telemetry.md#what-it-costs) is batched and POSTed, metrics are pushed
 * every second. Target: service CPU per decision on ÷ off ≤ 1.15. A check row fails the run if nothing reached the
 * receiver (the comparison would be meaningless).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { createScratchDatabase } from './support/bench-database.ts';
import { startBenchService } from './support/bench-service.ts';
import { type BenchCertificates, createBenchCertificates, deniedTransferWorkload, toggleWorkload } from './support/decision-workloads.ts';
import { type LoadReport, mergeReports, runLoad, type Workload } from './support/load-generator.ts';
import { SignedHttpClient } from './support/signed-http.ts';
import { percentile, significant } from './support/stats.ts';
import { type ServiceSide, stopServiceSide } from './support/service-side.ts';

export const name = 'tracing-overhead';

const CLIENTS = 8;
const LIMITS = { clients: CLIENTS, maxRequestsPerClient: 200_000, requestTimeoutMs: 10_000 };

interface Plan {
  roundMs: number;
  rounds: number;
  warmupMs: number;
}
const plan = (quick: boolean): Plan => (quick ? { roundMs: 2_000, rounds: 1, warmupMs: 500 } : { roundMs: 3_000, rounds: 3, warmupMs: 1_500 });

/** Stands in for a Collector: reads and discards each OTLP request, counting what arrived. */
interface DrainingReceiver {
  endpoint: string;
  counts: Record<'traces' | 'metrics', { requests: number; bytes: number }>;
  server: Server;
}

async function startDrainingReceiver(): Promise<DrainingReceiver> {
  const counts = { traces: { requests: 0, bytes: 0 }, metrics: { requests: 0, bytes: 0 } };
  const server = createServer((request, response) => {
    const signal = request.url === '/v1/traces' ? counts.traces : request.url === '/v1/metrics' ? counts.metrics : undefined;
    request.on('data', (chunk: Buffer) => {
      if (signal) signal.bytes += chunk.length;
    });
    request.on('end', () => {
      if (signal) signal.requests++;
      response.writeHead(signal ? 200 : 404, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts, server };
}

interface Side extends ServiceSide {
  workloads: Workload[];
  reports: LoadReport[][];
  cpuMs: number[];
}

async function startSide(label: Side['label'], options: BenchOptions, receiver: DrainingReceiver, p: Plan): Promise<Side> {
  const scratch = await createScratchDatabase(options.database);
  const telemetryEnv = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
  };
  try {
    const service = await startBenchService({ env: { ...scratch.serviceEnv, ...(label === 'on' ? telemetryEnv : {}) }, telemetry: label === 'on' });
    const client = new SignedHttpClient(service.host, service.port, CLIENTS);
    const certificates: BenchCertificates = await createBenchCertificates(client, CLIENTS, 4);
    const workloads = [deniedTransferWorkload(certificates), toggleWorkload(certificates)];
    for (const workload of workloads) await runLoad(client, workload, { ...LIMITS, durationMs: p.warmupMs });
    options.log(`tracing-overhead: telemetry ${label} ready (pid ${service.pid}, ${scratch.describe})`);
    return { label, scratch, service, client, workloads, reports: workloads.map(() => []), cpuMs: workloads.map(() => 0) };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

async function measureRound(side: Side, index: number, ms: number): Promise<void> {
  const before = await side.service.cpuMs();
  side.reports[index]!.push(await runLoad(side.client, side.workloads[index]!, { ...LIMITS, durationMs: ms }));
  const after = await side.service.cpuMs();
  side.cpuMs[index]! += before === undefined || after === undefined ? Number.NaN : after - before;
}

async function measure(on: Side, off: Side, p: Plan, log: (m: string) => void): Promise<void> {
  for (let round = 0; round < p.rounds; round++) {
    for (const [index, workload] of on.workloads.entries()) {
      // ABBA: off,on then on,off, so a slow drift of the machine does not favour one side.
      const order = (round + index) % 2 === 0 ? [off, on] : [on, off];
      for (const side of order) {
        log(`tracing-overhead: round ${round + 1}/${p.rounds}, ${workload.name}, telemetry ${side.label}`);
        await measureRound(side, index, p.roundMs);
      }
    }
  }
}

/** Issue 14: tracing on ÷ off, service CPU per decision. The table compares the ratio to it. */
const CPU_RATIO_TARGET = 1.15;

const cpuPerDecision = (report: LoadReport, cpuMs: number) => cpuMs / Math.max(1, report.acknowledged + report.unexpected);

type Stat = { suffix: string; unit: string; of: (report: LoadReport, cpuMs: number) => number };
const STATS: readonly Stat[] = [
  { suffix: 'throughput', unit: 'req/s', of: (r) => r.acknowledged / (r.elapsedMs / 1000) },
  { suffix: 'p99 latency', unit: 'ms', of: (r) => percentile(r.latenciesMs, 99) },
  { suffix: 'service CPU per decision', unit: 'ms', of: cpuPerDecision },
];

function rows(on: Side, off: Side, receiver: DrainingReceiver): BenchResult[] {
  const results: BenchResult[] = [];
  for (const [index, workload] of on.workloads.entries()) {
    const onReport = mergeReports(on.reports[index]!);
    const offReport = mergeReports(off.reports[index]!);
    for (const stat of STATS) {
      results.push({
        name: `${workload.name}, tracing+metrics on: ${stat.suffix}`,
        value: stat.of(onReport, on.cpuMs[index]!),
        unit: stat.unit,
        baseline: { name: `telemetry off: ${stat.suffix}`, value: stat.of(offReport, off.cpuMs[index]!) },
        ...(stat.suffix === 'throughput' ? { detail: `${onReport.acknowledged} vs ${offReport.acknowledged} answers, ${CLIENTS} clients` } : {}),
      });
    }
    // The ratio again as a value of its own, so the table can check it against the target.
    results.push({
      name: `${workload.name}: service CPU per decision, telemetry on ÷ off`,
      value: cpuPerDecision(onReport, on.cpuMs[index]!) / cpuPerDecision(offReport, off.cpuMs[index]!),
      unit: '×',
      target: { max: CPU_RATIO_TARGET },
    });
  }
  const unexpected = [...on.reports, ...off.reports].flat().reduce((sum, report) => sum + report.unexpected, 0);
  const { traces, metrics } = receiver.counts;
  results.push(
    { name: 'unexpected answers, both services', value: unexpected, unit: 'answers', target: { max: 0 }, ok: unexpected === 0 },
    {
      name: 'OTLP requests received from the "on" service',
      value: traces.requests + metrics.requests,
      unit: 'requests',
      ok: traces.requests > 0 && metrics.requests > 0,
      detail: `traces ${traces.requests} (${significant(traces.bytes / 1e6)} MB), metrics ${metrics.requests}`,
    },
  );
  return results;
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const p = plan(options.quick);
  const receiver = await startDrainingReceiver();
  let on: Side | undefined;
  let off: Side | undefined;
  try {
    off = await startSide('off', options, receiver, p);
    on = await startSide('on', options, receiver, p);
    await measure(on, off, p, options.log);
    return rows(on, off, receiver);
  } finally {
    await stopServiceSide(on);
    await stopServiceSide(off);
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  }
}
