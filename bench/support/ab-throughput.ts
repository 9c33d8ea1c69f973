/**
 * A/B decision throughput: two real services (child processes) on two fresh databases that differ in one respect,
 * the same two workloads against each (a denied transfer: audit row only; a status toggle: state change + audit
 * row), rounds interleaved and their order alternated so the machine's noise hits both alike. Used by
 * audit-chain.bench.ts (chain on/off) and audit-indexes.bench.ts (query indexes on/off).
 */
import type { BenchResult } from './bench-module.ts';
import type { ScratchDatabase } from './bench-database.ts';
import { type BenchService, startBenchService } from './bench-service.ts';
import { createBenchCertificates, deniedTransferWorkload, toggleWorkload } from './decision-workloads.ts';
import { mergeReports, runLoad, type LoadReport, type Workload } from './load-generator.ts';
import { SignedHttpClient } from './signed-http.ts';
import { range } from './stats.ts';

export const AB_CLIENTS = 8;

export interface AbPlan {
  roundMs: number;
  rounds: number;
  warmupMs: number;
}

export interface Side {
  label: string;
  scratch: ScratchDatabase;
  service: BenchService;
  client: SignedHttpClient;
  workloads: Workload[];
  reports: LoadReport[][];
}

export async function startSide(label: string, scratch: ScratchDatabase, env: Record<string, string>): Promise<Side> {
  const service = await startBenchService({ env: { ...scratch.serviceEnv, ...env } });
  const client = new SignedHttpClient(service.host, service.port, AB_CLIENTS);
  const certificates = await createBenchCertificates(client, AB_CLIENTS, 4);
  return { label, scratch, service, client, workloads: [deniedTransferWorkload(certificates), toggleWorkload(certificates)], reports: [[], []] };
}

export async function stopSide(side: Side): Promise<void> {
  side.client.close();
  await side.service.stop();
}

/** Warms both sides up, then runs every round on both, alternating which side goes first. */
export async function measureSides(sides: readonly Side[], p: AbPlan, log: (m: string) => void, prefix: string): Promise<{ startedAt: Date }> {
  const limits = (durationMs: number) => ({ clients: AB_CLIENTS, durationMs, maxRequestsPerClient: 200_000, requestTimeoutMs: 10_000 });
  for (const side of sides) for (const workload of side.workloads) await runLoad(side.client, workload, limits(p.warmupMs));
  const startedAt = new Date();
  for (let round = 0; round < p.rounds; round++) {
    for (const index of [0, 1]) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        log(`${prefix}: round ${round + 1}/${p.rounds}, ${side.workloads[index]!.name}, ${side.label}`);
        const report = await runLoad(side.client, side.workloads[index]!, limits(p.roundMs));
        if (report.unexpected > 0) throw new Error(`unexpected answers: ${report.unexpectedSamples.join(' | ')}`);
        side.reports[index]!.push(report);
      }
    }
  }
  return { startedAt };
}

const rps = (reports: LoadReport[]) => {
  const merged = mergeReports(reports);
  return merged.acknowledged / (merged.elapsedMs / 1000);
};

/** One row per workload: `measured`'s throughput against `baseline`'s, with the per-round ratios. */
export function throughputRows(baseline: Side, measured: Side, names: { measured: string; baseline: string }, minRatio: number): BenchResult[] {
  return [0, 1].map((index) => {
    const workload = measured.workloads[index]!.name;
    const perRound = measured.reports[index]!.map(
      (report, round) => report.acknowledged / report.elapsedMs / (baseline.reports[index]![round]!.acknowledged / baseline.reports[index]![round]!.elapsedMs),
    );
    return {
      name: `${workload}: throughput ${names.measured}`,
      value: rps(measured.reports[index]!),
      unit: 'req/s',
      baseline: { name: names.baseline, value: rps(baseline.reports[index]!) },
      target: { min: minRatio },
      detail: `ratio per round ${range(perRound)}, ${AB_CLIENTS} clients`,
    };
  });
}
