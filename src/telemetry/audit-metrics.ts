/**
 * Audit-trail metrics, fed by the audit code: how long appends take and how far the hash chain has been sealed.
 * Uses only @opentelemetry/api: without a registered meter provider these are no-ops.
 */
import { metrics } from '@opentelemetry/api';

const meter = metrics.getMeter('certguard');

const appendDuration = meter.createHistogram('certguard.audit.append.duration', {
  description: 'Time to append one audit event inside the decision transaction',
  unit: 'ms',
  advice: { explicitBucketBoundaries: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250] },
});

let chainHead = 0;
meter
  .createObservableGauge('certguard.audit.chain.sequence', { description: 'Sequence number of the last sealed audit chain entry' })
  .addCallback((result) => result.observe(chainHead));

export function recordAuditAppend(durationMs: number): void {
  appendDuration.record(durationMs);
}

export function recordAuditChainHead(sequence: number): void {
  chainHead = Math.max(chainHead, sequence);
}
