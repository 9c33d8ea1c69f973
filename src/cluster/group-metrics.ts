/**
 * The group's GET /metrics on CERTGUARD_METRICS_PORT (CERTGUARD_WORKERS > 1): the primary owns the metrics port,
 * asks every worker for its Prometheus text over the cluster's IPC channel (1 s timeout; a worker that does not
 * answer is left out), adds its own (the sealer's and partition maintainer's metrics live in the primary), and
 * answers one exposition whose samples carry `worker="1"`, `worker="2"`, … or `worker="primary"`.
 */
import cluster, { type Worker } from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { processPrometheusText } from '../telemetry/prometheus-endpoint.ts';
import { mergePrometheusTexts, type PrometheusPart } from '../telemetry/prometheus-merge.ts';

const WORKER_TIMEOUT_MS = 1000;

interface MetricsRequest {
  type: 'certguard:metrics-request';
  id: number;
}
interface MetricsAnswer {
  type: 'certguard:metrics-answer';
  id: number;
  text: string | undefined;
}

const isAnswer = (message: unknown): message is MetricsAnswer => (message as { type?: unknown } | null)?.type === 'certguard:metrics-answer';

/** In a worker: answer the primary's requests with this process's metrics. */
export function answerMetricsRequests(): void {
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type !== 'certguard:metrics-request') return;
    const { id } = message as MetricsRequest;
    void processPrometheusText().then((text) => {
      if (process.connected) process.send?.({ type: 'certguard:metrics-answer', id, text } satisfies MetricsAnswer);
    });
  });
}

let nextId = 1;

function askWorker(worker: Worker): Promise<string | undefined> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isAnswer(message) || message.id !== id) return;
      done(message.text);
    };
    const timer = setTimeout(() => done(undefined), WORKER_TIMEOUT_MS);
    const done = (text: string | undefined) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(text);
    };
    worker.on('message', onMessage);
    if (worker.isConnected()) worker.send({ type: 'certguard:metrics-request', id } satisfies MetricsRequest);
    else done(undefined);
  });
}

/** In the primary: the handler of the metrics port. */
export async function groupMetrics(_request: IncomingMessage, response: ServerResponse): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  const [own, ...texts] = await Promise.all([processPrometheusText(), ...workers.map(askWorker)]);
  const parts: PrometheusPart[] = [];
  if (own !== undefined) parts.push({ label: ['worker', 'primary'], text: own });
  workers.forEach((worker, index) => {
    const text = texts[index];
    if (text !== undefined) parts.push({ label: ['worker', String(worker.id)], text });
  });
  response.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
  if (parts.length === 0) {
    response.statusCode = 404;
    response.end('# certguard collects no metrics for Prometheus (OTEL_SDK_DISABLED or no prometheus exporter).\n');
    return;
  }
  response.end(mergePrometheusTexts(parts));
}
