/**
 * Decisions per second over real HTTP: the real service (src/main.ts) in a child process on a scratch database,
 * 8 keep-alive clients in this process sending JS-SDK-signed requests for a fixed time. A child process, not
 * createApp in this process: the load generator (signing, parsing) must not share the service's event loop, or
 * its own work would show up as service latency and cap the throughput. Workloads, each client on certificates
 * of its own (see support/decision-workloads.ts):
 *   (a) TransferCertificate refused by a rule: the whole decision path plus its audit row, no state change;
 *   (b) UpdateCertificate toggling ACTIVE/INACTIVE: allowed decisions that change state;
 *   (c) DescribeCertificate: auth + validation + one SELECT, no decision, no audit — the baseline.
 * Rounds of (c), (a), (b) are interleaved so that noise on the shared machine hits all three alike.
 * Afterwards the audit table must hold exactly one row per decision the clients saw acknowledged.
 * (d) DescribeCertificate with CERTGUARD_WORKERS=2 against 1 worker (support/workers-scaling.ts).
 */
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/bench-database.ts';
import { type BenchService, startBenchService } from './support/bench-service.ts';
import {
  type BenchCertificates,
  certificateCount,
  createBenchCertificates,
  deniedTransferWorkload,
  describeWorkload,
  toggleWorkload,
} from './support/decision-workloads.ts';
import { type LoadLimits, type LoadReport, mergeReports, runLoad, type Workload } from './support/load-generator.ts';
import { SignedHttpClient } from './support/signed-http.ts';
import { type Measured, resultRows, type WorkloadResult } from './support/throughput-rows.ts';
import { measureWorkersScaling } from './support/workers-scaling.ts';

export const name = 'decision-throughput';

const CLIENTS = 8;

interface Plan {
  roundMs: number;
  rounds: number;
  warmupMs: number;
  togglesPerClient: number;
}

function plan(quick: boolean): Plan {
  return quick ? { roundMs: 3_000, rounds: 1, warmupMs: 500, togglesPerClient: 2 } : { roundMs: 2_500, rounds: 4, warmupMs: 1_500, togglesPerClient: 4 };
}

function limits(durationMs: number): LoadLimits {
  return { clients: CLIENTS, durationMs, maxRequestsPerClient: 200_000, requestTimeoutMs: 10_000 };
}

async function warmUp(client: SignedHttpClient, workload: Workload, ms: number): Promise<LoadReport> {
  const report = await runLoad(client, workload, limits(ms));
  if (report.unexpected > 0) throw new Error(`warm-up of ${workload.name} failed: ${report.unexpectedSamples.join(' | ')}`);
  return report;
}

/** One timed run, with the CPU time the service process spent on it. */
async function timedRound(service: BenchService, client: SignedHttpClient, workload: Workload, ms: number): Promise<WorkloadResult> {
  const cpuBefore = await service.cpuMs();
  const report = await runLoad(client, workload, limits(ms));
  const cpuAfter = await service.cpuMs();
  return { report, serviceCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function merge(results: readonly WorkloadResult[]): WorkloadResult {
  const cpu = results.map((result) => result.serviceCpuMs);
  const known = cpu.every((ms) => ms !== undefined);
  const serviceCpuMs = known ? (cpu as number[]).reduce((sum, ms) => sum + ms, 0) : undefined;
  return { report: mergeReports(results.map((result) => result.report)), serviceCpuMs };
}

async function measure(service: BenchService, client: SignedHttpClient, certificates: BenchCertificates, p: Plan, log: (m: string) => void): Promise<Measured> {
  const workloads = [describeWorkload(certificates), deniedTransferWorkload(certificates), toggleWorkload(certificates)] as const;
  const warmups: LoadReport[] = [];
  for (const workload of workloads) warmups.push(await warmUp(client, workload, p.warmupMs));
  const rounds: WorkloadResult[][] = [[], [], []];
  for (let round = 0; round < p.rounds; round++) {
    for (const [index, workload] of workloads.entries()) {
      log(`decision-throughput: round ${round + 1}/${p.rounds}, ${workload.name}, ${p.roundMs / 1000} s`);
      rounds[index]!.push(await timedRound(service, client, workload, p.roundMs));
    }
  }
  const [describe, denied, toggles] = rounds.map(merge) as [WorkloadResult, WorkloadResult, WorkloadResult];
  const guarded = warmups[1]!.acknowledged + warmups[2]!.acknowledged + denied.report.acknowledged + toggles.report.acknowledged;
  return { describe, denied, toggles, decisions: certificateCount(certificates) + guarded };
}

async function measureOnService(scratch: ScratchDatabase, p: Plan, log: (m: string) => void): Promise<Measured> {
  log(`decision-throughput: starting certguard (child process) on ${scratch.describe}`);
  const service = await startBenchService({ env: scratch.serviceEnv });
  log(`decision-throughput: certguard ready (pid ${service.pid}, ${service.host})`);
  try {
    const client = new SignedHttpClient(service.host, service.port, CLIENTS);
    try {
      const certificates = await createBenchCertificates(client, CLIENTS, p.togglesPerClient);
      log(`decision-throughput: created ${certificateCount(certificates)} certificates`);
      return await measure(service, client, certificates, p, log);
    } finally {
      client.close();
    }
  } finally {
    await service.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const p = plan(options.quick);
  const scratch = await createScratchDatabase(options.database);
  try {
    const measured = await measureOnService(scratch, p, options.log);
    const auditRows = await scratch.countAuditRows();
    return [...resultRows(measured, auditRows, { clients: CLIENTS, database: options.database.kind }), ...(await measureWorkersScaling(options))];
  } finally {
    await scratch.drop();
  }
}
