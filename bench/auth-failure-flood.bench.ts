/**
 * What auditing failed authentications costs, and that a flood cannot grow the trail (docs/security.md "What is
 * audited"). Two copies of the real service side by side, each on its own scratch database: failure audit on
 * (CERTGUARD_AUDIT_AUTH_FAILURES=true, the default) and off. Per side:
 * 1. CPU per refused request: a flood of bad signatures (one source, one claimed key, GET /certificates signed
 *    with a wrong secret), rounds ordered ABBA; service CPU (/proc) / requests. Target on/off <= 1.2.
 * 2. The flood beside legitimate signed traffic (ListCertificates with the right key): legitimate throughput.
 * Then the audit rows the floods added on the "on" side, counted through the query API once the aggregation
 * windows closed: bounded by windows x (perSource + 1), not by the flood's size; and every refused request is
 * accounted for exactly once (individual rows + the summaries' counts). The "off" side must have no such row.
 */
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { createScratchDatabase } from './support/bench-database.ts';
import { startBenchService } from './support/bench-service.ts';
import { type LoadReport, mergeReports, runLoad, type Workload } from './support/load-generator.ts';
import { SignedHttpClient } from './support/signed-http.ts';
import { demoAuditor, demoOperatorOne } from '../test/support/sign-request.ts';
import { type ServiceSide, stopServiceSide } from './support/service-side.ts';

export const name = 'auth-failure-flood';

const FLOOD_CLIENTS = 4;
const LEGIT_CLIENTS = 2;
const PER_SOURCE = 10;
const WINDOW_MS = 2_000;
const LIMITS = { maxRequestsPerClient: 1_000_000, requestTimeoutMs: 10_000 };

interface Plan {
  roundMs: number;
  rounds: number;
  warmupMs: number;
}
const plan = (quick: boolean): Plan => (quick ? { roundMs: 1_500, rounds: 1, warmupMs: 500 } : { roundMs: 4_000, rounds: 6, warmupMs: 1_500 });

const flood: Workload = {
  name: 'bad-signature flood',
  next: () => ({
    request: { method: 'GET', path: '/certificates', credential: { accessKeyId: demoOperatorOne.accessKeyId, secretAccessKey: 'wrong-secret-of-the-flood' } },
    expected: { status: 401, errorType: 'UnauthorizedException' },
  }),
};

const legitimate: Workload = {
  name: 'legitimate ListCertificates',
  next: () => ({ request: { method: 'GET', path: '/certificates', query: { pageSize: '10' }, credential: demoOperatorOne }, expected: { status: 200 } }),
};

interface Side extends ServiceSide {
  floodReports: LoadReport[];
  floodCpuMs: number;
  besideFlood: LoadReport[];
  besideLegit: LoadReport[];
  refusedSent: number;
}

async function startSide(label: Side['label'], options: BenchOptions, p: Plan): Promise<Side> {
  const scratch = await createScratchDatabase(options.database);
  try {
    const service = await startBenchService({
      env: {
        ...scratch.serviceEnv,
        CERTGUARD_AUDIT_AUTH_FAILURES: label === 'on' ? 'true' : 'false',
        CERTGUARD_AUDIT_AUTH_FAILURES_PER_SOURCE: String(PER_SOURCE),
        CERTGUARD_AUDIT_AUTH_FAILURE_WINDOW_MS: String(WINDOW_MS),
      },
    });
    const client = new SignedHttpClient(service.host, service.port, FLOOD_CLIENTS + LEGIT_CLIENTS);
    const warm = await runLoad(client, flood, { ...LIMITS, clients: FLOOD_CLIENTS, durationMs: p.warmupMs });
    await runLoad(client, legitimate, { ...LIMITS, clients: LEGIT_CLIENTS, durationMs: p.warmupMs });
    options.log(`auth-failure-flood: failure audit ${label} ready (pid ${service.pid}, ${scratch.describe})`);
    return { label, scratch, service, client, floodReports: [], floodCpuMs: 0, besideFlood: [], besideLegit: [], refusedSent: warm.requests };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

async function floodRound(side: Side, ms: number): Promise<void> {
  const before = await side.service.cpuMs();
  const report = await runLoad(side.client, flood, { ...LIMITS, clients: FLOOD_CLIENTS, durationMs: ms });
  const after = await side.service.cpuMs();
  side.floodReports.push(report);
  side.refusedSent += report.requests;
  side.floodCpuMs += before === undefined || after === undefined ? Number.NaN : after - before;
}

async function besideRound(side: Side, ms: number): Promise<void> {
  const [floodReport, legitReport] = await Promise.all([
    runLoad(side.client, flood, { ...LIMITS, clients: FLOOD_CLIENTS, durationMs: ms }),
    runLoad(side.client, legitimate, { ...LIMITS, clients: LEGIT_CLIENTS, durationMs: ms }),
  ]);
  side.besideFlood.push(floodReport);
  side.besideLegit.push(legitReport);
  side.refusedSent += floodReport.requests;
}

interface AuditedFailures {
  rows: number;
  individual: number;
  summarised: number;
}

/** Counts the failure rows through the query API (works on PGlite too, whose files the service process owns). */
async function auditedFailures(side: Side): Promise<AuditedFailures> {
  const counted: AuditedFailures = { rows: 0, individual: 0, summarised: 0 };
  for (const eventType of ['AuthenticationFailed', 'AuthenticationFailureSummary']) {
    let cursor: string | undefined;
    do {
      const response = await side.client.send(
        {
          method: 'GET',
          path: '/v1/audit/events',
          query: { eventType, limit: '1000', ...(cursor ? { cursor } : {}) },
          credential: demoAuditor,
        },
        30_000,
      );
      if (response.status !== 200) throw new Error(`audit query failed: HTTP ${response.status} ${response.body.slice(0, 200)}`);
      const page = JSON.parse(response.body) as { events: Array<{ requestParameters: { notRecordedIndividually?: number } | null }>; nextCursor?: string };
      counted.rows += page.events.length;
      for (const event of page.events) {
        if (eventType === 'AuthenticationFailed') counted.individual++;
        else counted.summarised += Number(event.requestParameters?.notRecordedIndividually ?? 0);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return counted;
}

const perRequestMs = (cpuMs: number, reports: LoadReport[]) => cpuMs / Math.max(1, mergeReports(reports).requests);
const throughput = (reports: LoadReport[]) => {
  const merged = mergeReports(reports);
  return merged.acknowledged / (merged.elapsedMs / 1000);
};

function results(on: Side, off: Side, audited: { on: AuditedFailures; off: AuditedFailures }, elapsedMs: number): BenchResult[] {
  const windows = Math.ceil(elapsedMs / WINDOW_MS) + 1;
  const bound = windows * (PER_SOURCE + 1);
  const cpuOn = perRequestMs(on.floodCpuMs, on.floodReports) * 1000;
  const cpuOff = perRequestMs(off.floodCpuMs, off.floodReports) * 1000;
  const unexpected = [on, off].flatMap((side) => [...side.floodReports, ...side.besideFlood, ...side.besideLegit]).reduce((sum, r) => sum + r.unexpected, 0);
  return [
    {
      name: 'service CPU per refused request, failure audit on',
      value: cpuOn,
      unit: 'µs',
      baseline: { name: 'failure audit off', value: cpuOff },
      detail: `${mergeReports(on.floodReports).requests} vs ${mergeReports(off.floodReports).requests} refused, ${FLOOD_CLIENTS} clients, one source`,
    },
    { name: 'service CPU per refused request: audit on / off', value: cpuOn / cpuOff, unit: '×', target: { max: 1.2 } },
    {
      name: 'legitimate ListCertificates beside the flood, audit on',
      value: throughput(on.besideLegit),
      unit: 'req/s',
      baseline: { name: 'failure audit off', value: throughput(off.besideLegit) },
      detail: `flood beside it: ${Math.round(throughput(on.besideFlood))} vs ${Math.round(throughput(off.besideFlood))} refused/s`,
    },
    {
      name: 'audit rows added by the floods (audit on)',
      value: audited.on.rows,
      unit: 'rows',
      target: { max: bound },
      ok: audited.on.rows <= bound && audited.on.rows > 0,
      detail: `${on.refusedSent} refused requests over ${Math.round(elapsedMs / 1000)} s; bound ${windows} windows x (${PER_SOURCE}+1)`,
    },
    {
      name: 'refused requests accounted for (individual rows + summary counts) / sent',
      value: (audited.on.individual + audited.on.summarised) / Math.max(1, on.refusedSent),
      unit: 'ratio',
      ok: audited.on.individual + audited.on.summarised === on.refusedSent,
      detail: `${audited.on.individual} individual + ${audited.on.summarised} summarised of ${on.refusedSent}`,
    },
    { name: 'failure rows with the audit off', value: audited.off.rows, unit: 'rows', target: { max: 0 }, ok: audited.off.rows === 0 },
    { name: 'unexpected answers, both services', value: unexpected, unit: 'answers', target: { max: 0 }, ok: unexpected === 0 },
  ];
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const p = plan(options.quick);
  let on: Side | undefined;
  let off: Side | undefined;
  try {
    const started = performance.now();
    off = await startSide('off', options, p);
    on = await startSide('on', options, p);
    for (let round = 0; round < p.rounds; round++) {
      for (const side of round % 2 === 0 ? [off, on] : [on, off]) {
        options.log(`auth-failure-flood: round ${round + 1}/${p.rounds}, flood alone, audit ${side.label}`);
        await floodRound(side, p.roundMs);
      }
      for (const side of round % 2 === 0 ? [on, off] : [off, on]) {
        options.log(`auth-failure-flood: round ${round + 1}/${p.rounds}, flood beside legitimate traffic, audit ${side.label}`);
        await besideRound(side, p.roundMs);
      }
    }
    options.log('auth-failure-flood: waiting for the last aggregation window to close');
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 2));
    const elapsedMs = performance.now() - started;
    const audited = { on: await auditedFailures(on), off: await auditedFailures(off) };
    return results(on, off, audited, elapsedMs);
  } finally {
    await stopServiceSide(on);
    await stopServiceSide(off);
  }
}
