/**
 * decision-throughput's workers scenario: DescribeCertificate with CERTGUARD_WORKERS=2 against the same with 1
 * worker, in the same run (target: ≥ 1.5×). Both services run at once on one Postgres scratch database; rounds of
 * the two alternate so that noise on the shared machine hits both alike. A group needs Postgres: on a PGlite run
 * the scenario reports that it did not run (and fails the table) rather than measure something else.
 */
import type { BenchOptions, BenchResult } from './bench-module.ts';
import { createScratchDatabase } from './bench-database.ts';
import { type BenchService, startBenchService } from './bench-service.ts';
import { createBenchCertificates, describeWorkload } from './decision-workloads.ts';
import { type LoadReport, mergeReports, runLoad, type Workload } from './load-generator.ts';
import { SignedHttpClient } from './signed-http.ts';
import { significant } from './stats.ts';

const CLIENTS = 8;
const TARGET_RATIO = 1.5;

interface Side {
  workers: number;
  service: BenchService;
  client: SignedHttpClient;
  workload: Workload;
  rounds: LoadReport[];
}

async function load(side: Side, ms: number): Promise<LoadReport> {
  const report = await runLoad(side.client, side.workload, { clients: CLIENTS, durationMs: ms, maxRequestsPerClient: 500_000, requestTimeoutMs: 10_000 });
  if (report.unexpected > 0) throw new Error(`DescribeCertificate with ${side.workers} worker(s) failed: ${report.unexpectedSamples.join(' | ')}`);
  return report;
}

const rps = (report: LoadReport) => report.acknowledged / (report.elapsedMs / 1000);

export async function measureWorkersScaling(options: BenchOptions): Promise<BenchResult[]> {
  const name = '(d) DescribeCertificate, CERTGUARD_WORKERS=2: throughput';
  if (options.database.kind !== 'postgres') {
    return [{ name, value: Number.NaN, unit: 'req/s', ok: false, detail: 'not run: a group of workers needs Postgres (PGlite is one process)' }];
  }
  const plan = options.quick ? { rounds: 1, roundMs: 3_000, warmupMs: 1_000 } : { rounds: 4, roundMs: 3_000, warmupMs: 2_000 };
  const scratch = await createScratchDatabase(options.database);
  const sides: Side[] = [];
  try {
    for (const workers of [1, 2]) {
      options.log(`decision-throughput: starting certguard with CERTGUARD_WORKERS=${workers}`);
      const service = await startBenchService({ env: { ...scratch.serviceEnv, CERTGUARD_WORKERS: String(workers) } });
      const client = new SignedHttpClient(service.host, service.port, CLIENTS);
      sides.push({ workers, service, client, workload: describeWorkload(await createBenchCertificates(client, CLIENTS, 0)), rounds: [] });
    }
    for (const side of sides) await load(side, plan.warmupMs);
    for (let round = 0; round < plan.rounds; round++) {
      for (const side of sides) {
        options.log(`decision-throughput: round ${round + 1}/${plan.rounds}, DescribeCertificate, ${side.workers} worker(s)`);
        side.rounds.push(await load(side, plan.roundMs));
      }
    }
  } finally {
    for (const side of sides) {
      side.client.close();
      await side.service.stop();
    }
    await scratch.drop();
  }
  const [one, two] = sides.map((side) => mergeReports(side.rounds)) as [LoadReport, LoadReport];
  const perRound = sides[1]!.rounds.map((report, i) => significant(rps(report) / rps(sides[0]!.rounds[i]!))).join(', ');
  return [
    {
      name,
      value: rps(two),
      unit: 'req/s',
      baseline: { name: '(d) the same with CERTGUARD_WORKERS=1', value: rps(one) },
      detail: `${CLIENTS} keep-alive clients on both; the load generator and Postgres share the machine's cores`,
    },
    {
      name: '(d) DescribeCertificate throughput, 2 workers / 1 worker',
      value: rps(two) / rps(one),
      unit: '×',
      target: { min: TARGET_RATIO },
      detail: `per round: ${perRound}`,
    },
  ];
}
