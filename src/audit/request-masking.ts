/**
 * Request parameters are stored in the audit trail with secrets and bulky key material masked: certificates,
 * CSRs and private keys are replaced by their SHA-256 and length, so an auditor can still tell which PEM was
 * sent without the trail becoming a store of key material.
 */
import { createHash } from 'node:crypto';

const MASKED_MEMBERS = new Set(['certificatePem', 'caCertificatePem', 'certificateSigningRequest', 'privateKey', 'PrivateKey']);

export function maskRequestParameters(params: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    masked[key] =
      MASKED_MEMBERS.has(key) && typeof value === 'string'
        ? { masked: true, sha256: createHash('sha256').update(value).digest('hex'), length: value.length }
        : value;
  }
  return masked;
}
