/** Database rows -> AWS wire shapes. Timestamps are epoch seconds as JSON numbers (ISO strings break the JS SDK). */
import { certificateArn } from './certificate-arn.ts';
import type { CertificateRow } from './certificate.repository.ts';
import type { CertificateFacts } from '../rules/engine/policy-bundle.ts';

export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function optionalEpoch(date: Date | null): number | undefined {
  return date ? epochSeconds(date) : undefined;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toCertificateDescription(row: CertificateRow, region: string) {
  const transferData = withoutUndefined({
    transferMessage: row.transfer_message ?? undefined,
    rejectReason: row.reject_reason ?? undefined,
    transferDate: optionalEpoch(row.transfer_date),
    acceptDate: optionalEpoch(row.accept_date),
    rejectDate: optionalEpoch(row.reject_date),
  });
  return withoutUndefined({
    certificateArn: certificateArn(region, row.owner_account_id, row.certificate_id),
    certificateId: row.certificate_id,
    caCertificateId: row.ca_certificate_id ?? undefined,
    status: row.status,
    certificatePem: row.certificate_pem,
    ownedBy: row.owner_account_id,
    previousOwnedBy: row.previous_owner_account_id ?? undefined,
    creationDate: epochSeconds(row.created_at),
    lastModifiedDate: epochSeconds(row.last_modified_at),
    customerVersion: row.customer_version,
    transferData: Object.keys(transferData).length > 0 ? transferData : undefined,
    generationId: row.generation_id,
    validity: { notBefore: epochSeconds(row.not_before), notAfter: epochSeconds(row.not_after) },
    certificateMode: row.certificate_mode,
  });
}

/** What the guard rules see of a certificate. */
export function toCertificateFacts(row: CertificateRow, region: string): CertificateFacts {
  return {
    id: row.certificate_id,
    arn: certificateArn(region, row.owner_account_id, row.certificate_id),
    status: row.status,
    ownedBy: row.owner_account_id,
    previousOwnedBy: row.previous_owner_account_id,
    pendingTransferTo: row.status === 'PENDING_TRANSFER' ? row.transfer_target_account_id : null,
    mode: row.certificate_mode,
    createdAt: row.created_at,
    notBefore: row.not_before,
    notAfter: row.not_after,
  };
}
