/**
 * What the IoT policy routes and services use: the guarded-decision context (db, rules, logger, spool) and the
 * region for ARNs. Narrower than the certificate services' IotPolicyContext (no certificate authority).
 */
import type { GuardContext } from '../decisions/guarded-operation.ts';

export interface IotPolicyContext extends GuardContext {
  region: string;
}
