/**
 * What the rules API (/v1/policy: describe, evaluate, simulate) uses: the database (stored certificates, past
 * decisions, activation times), the active bundle, the logger (its audited calls) and the region (certificate ARNs).
 * No audit spool or certificate authority: it changes no state.
 */
import type { GuardContext } from '../../decisions/guarded-operation.ts';

export interface PolicyApiContext extends Pick<GuardContext, 'db' | 'policy' | 'logger'> {
  region: string;
}
