/** GET /v1/policy: the bundle in force and when it was activated against this database. */
import type { PolicyApiContext } from './policy-api-context.ts';
import { describeBundle } from './bundle-description.ts';
import { lastActivationTime } from './policy-api.repository.ts';

export async function describeActivePolicy(ctx: PolicyApiContext) {
  // Read once: a reload may swap the bundle while the activation time is being looked up.
  const bundle = ctx.policy();
  return describeBundle(bundle, await lastActivationTime(ctx.db, bundle.hash));
}
