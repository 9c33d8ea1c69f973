/** SQL for IoT policies (the AWS resource) and their attachments to certificates. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DB, IotPoliciesTable } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;
export type IotPolicyRow = Selectable<IotPoliciesTable>;

export async function findPolicy(db: Executor, accountId: string, policyName: string): Promise<IotPolicyRow | undefined> {
  return db.selectFrom('iot_policies').selectAll().where('account_id', '=', accountId).where('policy_name', '=', policyName).executeTakeFirst();
}

/** Shares the policy row's lock with other attach/detach decisions on the same policy; DeletePolicy waits for them. */
export async function findPolicyForShare(db: Transaction<DB>, accountId: string, policyName: string): Promise<IotPolicyRow | undefined> {
  return db.selectFrom('iot_policies').selectAll().where('account_id', '=', accountId).where('policy_name', '=', policyName).forShare().executeTakeFirst();
}

/** Locks the policy row exclusively: no attachment can be added (attach takes it FOR SHARE) until the transaction ends. */
export async function findPolicyForUpdate(db: Transaction<DB>, accountId: string, policyName: string): Promise<IotPolicyRow | undefined> {
  return db.selectFrom('iot_policies').selectAll().where('account_id', '=', accountId).where('policy_name', '=', policyName).forUpdate().executeTakeFirst();
}

export async function insertPolicy(db: Executor, row: Insertable<IotPoliciesTable>): Promise<void> {
  await db.insertInto('iot_policies').values(row).execute();
}

export async function deletePolicy(db: Executor, accountId: string, policyName: string): Promise<void> {
  await db.deleteFrom('iot_policies').where('account_id', '=', accountId).where('policy_name', '=', policyName).execute();
}

export async function attachPolicy(db: Executor, accountId: string, policyName: string, target: string, certificateId: string): Promise<void> {
  await db
    .insertInto('policy_attachments')
    .values({ account_id: accountId, policy_name: policyName, target, certificate_id: certificateId })
    .onConflict((oc) => oc.columns(['account_id', 'policy_name', 'target']).doNothing())
    .execute();
}

export async function detachPolicy(db: Executor, accountId: string, policyName: string, target: string): Promise<void> {
  await db.deleteFrom('policy_attachments').where('account_id', '=', accountId).where('policy_name', '=', policyName).where('target', '=', target).execute();
}

/** Up to `limit` targets of one policy, for a DeleteConflictException message that names them. */
export async function someTargetsOf(db: Executor, accountId: string, policyName: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('policy_attachments')
    .select('target')
    .where('account_id', '=', accountId)
    .where('policy_name', '=', policyName)
    .orderBy('target')
    .limit(limit)
    .execute();
  return rows.map((r) => r.target);
}

/**
 * A keyset position in creation order. Policy names are unique per account, so (created_at, policy_name) is a
 * total order. created_at is always written from a JS Date (millisecond precision), so it round-trips exactly
 * through a marker.
 */
export interface PolicyPosition {
  createdAt: Date;
  policyName: string;
}

export interface PolicyListQuery {
  ascending: boolean;
  /** Only policies attached to this certificate (ListAttachedPolicies, ListPrincipalPolicies). */
  attachedTo?: string;
  after?: PolicyPosition;
  limit: number;
}

export type PolicyListRow = Pick<IotPolicyRow, 'account_id' | 'policy_name' | 'created_at'>;

export async function listPolicies(db: Executor, accountId: string, q: PolicyListQuery): Promise<PolicyListRow[]> {
  const direction = q.ascending ? 'asc' : 'desc';
  let query = db.selectFrom('iot_policies').select(['account_id', 'policy_name', 'created_at']).where('account_id', '=', accountId);
  if (q.attachedTo !== undefined) {
    const certificateId = q.attachedTo;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('policy_attachments')
          .select('policy_attachments.target')
          .whereRef('policy_attachments.account_id', '=', 'iot_policies.account_id')
          .whereRef('policy_attachments.policy_name', '=', 'iot_policies.policy_name')
          .where('policy_attachments.certificate_id', '=', certificateId),
      ),
    );
  }
  if (q.after) {
    const { createdAt, policyName } = q.after;
    query = query.where((eb) => eb(eb.refTuple('created_at', 'policy_name'), q.ascending ? '>' : '<', eb.tuple(createdAt, policyName)));
  }
  return query.orderBy('created_at', direction).orderBy('policy_name', direction).limit(q.limit).execute();
}

/** Targets of one policy in target order, after `afterTarget` (keyset). */
export async function listTargets(db: Executor, accountId: string, policyName: string, q: { afterTarget?: string; limit: number }): Promise<string[]> {
  let query = db.selectFrom('policy_attachments').select('target').where('account_id', '=', accountId).where('policy_name', '=', policyName);
  if (q.afterTarget !== undefined) query = query.where('target', '>', q.afterTarget);
  const rows = await query.orderBy('target').limit(q.limit).execute();
  return rows.map((r) => r.target);
}
