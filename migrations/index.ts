/** Every migration, in order. A new migration is a new file plus one line here. */
import type { Migration } from 'kysely';
import * as initialSchema from './20261126T140000Z-initial-schema.ts';
import * as transferOutcome from './20261126T150000Z-transfer-outcome.ts';
import * as certificatesCreatedIndex from './20261126T160000Z-certificates-created-index.ts';
import * as policyBundlesAndDecisionInputs from './20261126T170000Z-policy-bundles-and-decision-inputs.ts';

export const migrations: Record<string, Migration> = {
  '20261126T140000Z-initial-schema': initialSchema,
  '20261126T150000Z-transfer-outcome': transferOutcome,
  '20261126T160000Z-certificates-created-index': certificatesCreatedIndex,
  '20261126T170000Z-policy-bundles-and-decision-inputs': policyBundlesAndDecisionInputs,
};
