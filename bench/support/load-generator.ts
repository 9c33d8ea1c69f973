/**
 * Closed-loop load: K clients, each sending its next request as soon as the previous answer arrived, for a fixed
 * time. Bounded three ways, so it always stops by itself: the duration, a request count per client, and a
 * timeout per request. A request still in flight at the deadline is awaited and counted.
 */
import type { ApiRequest, ApiResponse, SignedHttpClient } from './signed-http.ts';

export interface Expected {
  status: number;
  /** For an expected refusal: its x-amzn-ErrorType. */
  errorType?: string;
}

export interface Workload {
  name: string;
  /** The next request of a client; `sequence` counts that client's requests from 0. */
  next(clientIndex: number, sequence: number): { request: ApiRequest; expected: Expected };
  /** Called with every answer that matched the expectation (e.g. to track a certificate's new status). */
  acknowledged?(clientIndex: number, request: ApiRequest): void;
}

export interface LoadLimits {
  clients: number;
  durationMs: number;
  maxRequestsPerClient: number;
  requestTimeoutMs: number;
}

export interface LoadReport {
  requests: number;
  /** Answers that matched the expectation. */
  acknowledged: number;
  /** Everything else: other statuses, network errors, timeouts. */
  unexpected: number;
  unexpectedSamples: string[];
  elapsedMs: number;
  /** One entry per acknowledged request. */
  latenciesMs: number[];
  /** CPU time this (load-generating) process used during the run. */
  clientCpuMs: number;
}

const MAX_SAMPLES = 5;

function describeMismatch(response: ApiResponse, expected: Expected): string {
  return `HTTP ${response.status} ${response.errorType ?? ''} (expected ${expected.status} ${expected.errorType ?? ''}): ${response.body.slice(0, 200)}`;
}

export async function runLoad(client: SignedHttpClient, workload: Workload, limits: LoadLimits): Promise<LoadReport> {
  const report: LoadReport = { requests: 0, acknowledged: 0, unexpected: 0, unexpectedSamples: [], elapsedMs: 0, latenciesMs: [], clientCpuMs: 0 };
  const unexpected = (text: string) => {
    report.unexpected++;
    if (report.unexpectedSamples.length < MAX_SAMPLES) report.unexpectedSamples.push(`${workload.name}: ${text}`);
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + limits.durationMs;

  const loop = async (clientIndex: number) => {
    for (let sequence = 0; sequence < limits.maxRequestsPerClient && performance.now() < deadline; sequence++) {
      const { request, expected } = workload.next(clientIndex, sequence);
      report.requests++;
      try {
        const response = await client.send(request, limits.requestTimeoutMs);
        if (response.status === expected.status && response.errorType === expected.errorType) {
          report.acknowledged++;
          report.latenciesMs.push(response.latencyMs);
          workload.acknowledged?.(clientIndex, request);
        } else {
          unexpected(describeMismatch(response, expected));
        }
      } catch (error) {
        unexpected(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: limits.clients }, (_, index) => loop(index)));

  report.elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  report.clientCpuMs = (cpu.user + cpu.system) / 1000;
  return report;
}

/** Several runs of the same workload as one (rounds interleaved with other workloads to spread out noise). */
export function mergeReports(reports: readonly LoadReport[]): LoadReport {
  const merged: LoadReport = { requests: 0, acknowledged: 0, unexpected: 0, unexpectedSamples: [], elapsedMs: 0, latenciesMs: [], clientCpuMs: 0 };
  for (const report of reports) {
    merged.requests += report.requests;
    merged.acknowledged += report.acknowledged;
    merged.unexpected += report.unexpected;
    merged.unexpectedSamples.push(...report.unexpectedSamples.slice(0, MAX_SAMPLES - merged.unexpectedSamples.length));
    merged.elapsedMs += report.elapsedMs;
    for (const latency of report.latenciesMs) merged.latenciesMs.push(latency);
    merged.clientCpuMs += report.clientCpuMs;
  }
  return merged;
}
