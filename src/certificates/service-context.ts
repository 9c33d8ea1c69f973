/**
 * What the certificate routes and services use, passed down explicitly (no globals): the guarded-decision context,
 * the region (ARNs) and the CA material. Built once in createApp (AppContext extends it); the other routers take
 * narrower contexts of their own (iot-policies/iot-policy-context.ts, rules/api/policy-api-context.ts).
 */
import type { GuardContext } from '../decisions/guarded-operation.ts';
import type { CertificateAuthorityMaterial } from './certificate-authority.ts';

export interface ServiceContext extends GuardContext {
  region: string;
  certificateAuthority: CertificateAuthorityMaterial;
}
