/** SQL for IoT policies (the AWS resource) and their attachments to certificates. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DB, IotPoliciesTable } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;
export type IotPolicyRow = Selectable<IotPoliciesTable>;

export async function findPolicy(db: Executor, accountId: string, policyName: string): Promise<IotPolicyRow | undefined> {
  return db.selectFrom('iot_policies').selectAll()
    .where('account_id', '=', accountId).where('policy_name', '=', policyName).executeTakeFirst();
}

/** Shares the policy row's lock with other attach/detach/delete decisions on the same policy. */
export async function findPolicyForShare(db: Transaction<DB>, accountId: string, policyName: string): Promise<IotPolicyRow | undefined> {
  return db.selectFrom('iot_policies').selectAll()
    .where('account_id', '=', accountId).where('policy_name', '=', policyName).forShare().executeTakeFirst();
}

export async function insertPolicy(db: Executor, row: Insertable<IotPoliciesTable>): Promise<void> {
  await db.insertInto('iot_policies').values(row).execute();
}

export async function attachPolicy(db: Executor, accountId: string, policyName: string, target: string, certificateId: string): Promise<void> {
  await db.insertInto('policy_attachments')
    .values({ account_id: accountId, policy_name: policyName, target, certificate_id: certificateId })
    .onConflict((oc) => oc.columns(['account_id', 'policy_name', 'target']).doNothing())
    .execute();
}

export async function detachPolicy(db: Executor, accountId: string, policyName: string, target: string): Promise<void> {
  await db.deleteFrom('policy_attachments')
    .where('account_id', '=', accountId).where('policy_name', '=', policyName).where('target', '=', target)
    .execute();
}
