/**
 * Audit-trail metrics, fed by the audit code: how long appends take and how far the hash chain has been sealed.
 * Uses only @opentelemetry/api: without a registered meter provider these are no-ops. Instruments are created
 * lazily (certguard-meter.ts explains why); telemetry-sdk.ts calls registerAuditMetrics() once its provider is
 * registered, so the chain gauge is observed even before anything is recorded.
 */
import { perMeterProvider } from './certguard-meter.ts';

/** Seconds (OTel semantic conventions): one INSERT inside an open transaction is typically well under 5 ms. */
export const AUDIT_APPEND_BUCKETS_S: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

/** undefined until the sealer reports: a gauge reading 0 would claim "nothing sealed" rather than "not known". */
let chainHead: number | undefined;

const instruments = perMeterProvider((meter) => {
  const appendDuration = meter.createHistogram('certguard.audit.append.duration', {
    description: 'Time to append one audit event inside the decision transaction',
    unit: 's',
    advice: { explicitBucketBoundaries: [...AUDIT_APPEND_BUCKETS_S] },
  });
  meter
    .createObservableGauge('certguard.audit.chain.sequence', {
      description: 'Sequence number of the last sealed audit chain entry',
      unit: '{entry}',
    })
    .addCallback((result) => {
      if (chainHead !== undefined) result.observe(chainHead);
    });
  const verifications = meter.createCounter('certguard.audit.verifications', {
    description: 'Verifications of the audit chain in the database (GET /v1/audit/verify), by result',
    unit: '{verification}',
  });
  return { appendDuration, verifications };
});

/** Creates the instruments on the meter provider registered now (called right after the SDK starts). */
export function registerAuditMetrics(): void {
  instruments();
}

/** Takes milliseconds (performance.now()), records seconds. */
export function recordAuditAppend(durationMs: number): void {
  instruments().appendDuration.record(durationMs / 1000);
}

/** Runs one audit append and records its duration; a failed append is not recorded (its transaction failed). */
export async function timeAuditAppend<T>(append: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await append();
  recordAuditAppend(performance.now() - started);
  return result;
}

export function recordAuditChainHead(sequence: number): void {
  chainHead = Math.max(chainHead ?? 0, sequence);
}

/** One verification of the chain in the database: `failure` is the failure reason (a small enum), undefined = ok. */
export function recordAuditVerification(failure: string | undefined): void {
  instruments().verifications.add(1, { 'certguard.verify.result': failure === undefined ? 'ok' : 'failed', 'certguard.verify.reason': failure ?? 'none' });
}
