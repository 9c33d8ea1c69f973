/**
 * Issue 14's decision cost, over real HTTP: the real service (src/main.ts) in a child process on a scratch
 * database, 32 keep-alive clients in this process sending pre-signed SigV4 requests for a fixed time. A child
 * process, not createApp in this process: the load generator must not share the service's event loop.
 *
 * One function per scenario (SCENARIOS), each measured in interleaved rounds so noise hits all alike, and one
 * table of (figure, value, target) built from them (FIGURES). To add a figure — e.g. workers or telemetry on —
 * add a scenario and its rows; the describe baseline is always measured in the same run.
 *   describe        DescribeCertificate: auth + validation + one SELECT, no decision, no audit — the baseline;
 *   allowed         TransferCertificate allowed, each request on its own INACTIVE certificate (a state change);
 *   denied-on-one   TransferCertificate denied, every client on the SAME ACTIVE certificate (contention).
 * Targets (issue 14): allowed and denied-on-one ≥ 0.8× describe's throughput, p99 ≤ 50 ms.
 * Afterwards the audit table must hold exactly one row per decision the clients saw acknowledged.
 * (d) DescribeCertificate with CERTGUARD_WORKERS=2 against 1 worker (support/workers-scaling.ts).
 */
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { createScratchDatabase, type ScratchDatabase } from './support/bench-database.ts';
import { type BenchService, startBenchService } from './support/bench-service.ts';
import { allowedTransferWorkload, createCertificate, deniedOnOneWorkload, describeOneWorkload } from './support/decision-workloads.ts';
import { type LoadReport, mergeReports, runLoad, type Workload } from './support/load-generator.ts';
import { SignedHttpClient } from './support/signed-http.ts';
import { decisionFigures, type ScenarioResult } from './support/throughput-rows.ts';
import { measureWorkersScaling } from './support/workers-scaling.ts';

export const name = 'decision-throughput';

const CLIENTS = 32;

interface Plan {
  roundMs: number;
  rounds: number;
  warmupMs: number;
  /** Certificates each client may use up per allowed round (the round ends early if they run out). */
  allowedPerClientPerRound: number;
}

function plan(quick: boolean): Plan {
  return quick
    ? { roundMs: 2_000, rounds: 1, warmupMs: 500, allowedPerClientPerRound: 60 }
    : { roundMs: 3_000, rounds: 3, warmupMs: 1_500, allowedPerClientPerRound: 200 };
}

/** What every scenario gets: the running service, the client and the fixtures made at setup. */
interface Bench {
  service: BenchService;
  client: SignedHttpClient;
  scratch: ScratchDatabase;
  plan: Plan;
  /** One ACTIVE certificate: described by `describe`, refused transfers by `denied-on-one`. */
  activeId: string;
  /** One INACTIVE certificate, cloned into fresh ones for each allowed round. */
  inactiveTemplateId: string;
  log(message: string): void;
}

/** One round of a scenario: the workload to run and the most requests per client it can take. */
interface Round {
  workload: Workload;
  maxRequestsPerClient: number;
}

interface Scenario {
  name: 'describe' | 'allowed' | 'denied-on-one';
  /** Prepares a round (fresh certificates, pre-signed requests). */
  round(bench: Bench): Promise<Round>;
}

async function presignAll(bench: Bench, workload: Workload, perClient: number): Promise<void> {
  for (let client = 0; client < CLIENTS; client++) {
    for (let sequence = 0; sequence < perClient; sequence++) await bench.client.presign(workload.next(client, sequence).request);
  }
}

/** The same request for every client and every time: signed once. */
async function repeatedRound(bench: Bench, workload: Workload): Promise<Round> {
  await presignAll(bench, workload, 1);
  return { workload, maxRequestsPerClient: 1_000_000 };
}

function describeScenario(): Scenario {
  return { name: 'describe', round: (bench) => repeatedRound(bench, describeOneWorkload(bench.activeId)) };
}

function deniedOnOneScenario(): Scenario {
  return { name: 'denied-on-one', round: (bench) => repeatedRound(bench, deniedOnOneWorkload(bench.activeId)) };
}

function allowedScenario(): Scenario {
  return {
    name: 'allowed',
    async round(bench) {
      const perClient = bench.plan.allowedPerClientPerRound;
      if (!bench.scratch.cloneCertificates) throw new Error('the allowed-transfer scenario needs Postgres (certificates are cloned in SQL)');
      const ids = await bench.scratch.cloneCertificates(bench.inactiveTemplateId, CLIENTS * perClient);
      const byClient = Array.from({ length: CLIENTS }, (_, c) => ids.slice(c * perClient, (c + 1) * perClient));
      const workload = allowedTransferWorkload(byClient);
      await presignAll(bench, workload, perClient);
      return { workload, maxRequestsPerClient: perClient };
    },
  };
}

const SCENARIOS: readonly Scenario[] = [describeScenario(), allowedScenario(), deniedOnOneScenario()];

async function runRound(bench: Bench, scenario: Scenario, ms: number): Promise<{ report: LoadReport; serviceCpuMs: number | undefined }> {
  const { workload, maxRequestsPerClient } = await scenario.round(bench);
  const cpuBefore = await bench.service.cpuMs();
  const report = await runLoad(bench.client, workload, { clients: CLIENTS, durationMs: ms, maxRequestsPerClient, requestTimeoutMs: 10_000 });
  const cpuAfter = await bench.service.cpuMs();
  return { report, serviceCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

interface Measured {
  results: Map<Scenario['name'], ScenarioResult>;
  /** Guarded requests acknowledged (warm-ups included), API creations, the start-up activation: one audit row each. */
  decisions: number;
}

async function measure(bench: Bench): Promise<Measured> {
  // The start-up PolicyActivated row of the fresh database, and the two certificates created through the API.
  let decisions = 3;
  const rounds = new Map<Scenario['name'], { report: LoadReport; serviceCpuMs: number | undefined }[]>();
  for (const scenario of SCENARIOS) {
    bench.log(`decision-throughput: warm-up ${scenario.name}`);
    const warm = await runRound(bench, scenario, bench.plan.warmupMs);
    if (warm.report.unexpected > 0) throw new Error(`warm-up of ${scenario.name} failed: ${warm.report.unexpectedSamples.join(' | ')}`);
    if (scenario.name !== 'describe') decisions += warm.report.acknowledged;
  }
  for (let round = 0; round < bench.plan.rounds; round++) {
    for (const scenario of SCENARIOS) {
      bench.log(`decision-throughput: round ${round + 1}/${bench.plan.rounds}, ${scenario.name}, ${bench.plan.roundMs / 1000} s`);
      const result = await runRound(bench, scenario, bench.plan.roundMs);
      if (scenario.name !== 'describe') decisions += result.report.acknowledged;
      rounds.set(scenario.name, [...(rounds.get(scenario.name) ?? []), result]);
    }
  }
  const results = new Map<Scenario['name'], ScenarioResult>();
  for (const [scenario, list] of rounds) {
    const cpu = list.map((r) => r.serviceCpuMs);
    results.set(scenario, {
      report: mergeReports(list.map((r) => r.report)),
      serviceCpuMs: cpu.every((ms) => ms !== undefined) ? (cpu as number[]).reduce((a, b) => a + b, 0) : undefined,
    });
  }
  return { results, decisions };
}

async function measureOnService(scratch: ScratchDatabase, p: Plan, log: (m: string) => void): Promise<Measured> {
  log(`decision-throughput: starting certguard (child process) on ${scratch.describe}`);
  const service = await startBenchService({ env: scratch.serviceEnv });
  log(`decision-throughput: certguard ready (pid ${service.pid}, ${service.host})`);
  try {
    const client = new SignedHttpClient(service.host, service.port, CLIENTS);
    try {
      const activeId = await createCertificate(client, true);
      const inactiveTemplateId = await createCertificate(client, false);
      return await measure({ service, client, scratch, plan: p, activeId, inactiveTemplateId, log });
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
    const rows = decisionFigures(measured.results, { clients: CLIENTS, database: options.database.kind });
    const unexpected = [...measured.results.values()].reduce((sum, r) => sum + r.report.unexpected, 0);
    const sample = [...measured.results.values()].flatMap((r) => r.report.unexpectedSamples)[0];
    return [
      ...rows,
      {
        name: 'unexpected answers, all scenarios',
        value: unexpected,
        unit: 'answers',
        target: { max: 0 },
        ok: unexpected === 0,
        ...(sample ? { detail: sample.slice(0, 160) } : {}),
      },
      {
        name: 'audit rows = acknowledged decisions',
        value: auditRows,
        unit: 'rows',
        baseline: { name: 'policy activation + decisions acknowledged to clients (setup, warm-up, measured)', value: measured.decisions },
        ok: auditRows === measured.decisions,
        detail: auditRows === measured.decisions ? 'no audit record dropped' : `MISMATCH: ${auditRows - measured.decisions} rows`,
      },
      ...(await measureWorkersScaling(options)),
    ];
  } finally {
    await scratch.drop();
  }
}
