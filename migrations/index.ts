/** Every migration, in order. A new migration is a new file plus one line here. */
import type { Migration } from 'kysely';
import * as initialSchema from './20261126T140000Z-initial-schema.ts';
import * as transferOutcome from './20261126T150000Z-transfer-outcome.ts';
import * as certificatesCreatedIndex from './20261126T160000Z-certificates-created-index.ts';
import * as policyBundlesAndDecisionInputs from './20261126T170000Z-policy-bundles-and-decision-inputs.ts';
import * as auditChain from './20261127T090000Z-audit-chain.ts';
import * as auditAppRole from './20261127T091000Z-audit-app-role.ts';
import * as auditQueryIndexes from './20261127T100000Z-audit-query-indexes.ts';
import * as auditCanonicalJson from './20261127T110000Z-audit-canonical-json.ts';
import * as auditPartitioning from './20261127T120000Z-audit-partitioning.ts';
import * as certificateRowVersion from './20261204T195048Z-certificate-row-version.ts';
import * as auditStatsIndex from './20261204T200000Z-audit-stats-index.ts';

export const migrations: Record<string, Migration> = {
  '20261126T140000Z-initial-schema': initialSchema,
  '20261126T150000Z-transfer-outcome': transferOutcome,
  '20261126T160000Z-certificates-created-index': certificatesCreatedIndex,
  '20261126T170000Z-policy-bundles-and-decision-inputs': policyBundlesAndDecisionInputs,
  '20261127T090000Z-audit-chain': auditChain,
  '20261127T091000Z-audit-app-role': auditAppRole,
  '20261127T100000Z-audit-query-indexes': auditQueryIndexes,
  '20261127T110000Z-audit-canonical-json': auditCanonicalJson,
  '20261127T120000Z-audit-partitioning': auditPartitioning,
  '20261204T195048Z-certificate-row-version': certificateRowVersion,
  '20261204T200000Z-audit-stats-index': auditStatsIndex,
};
